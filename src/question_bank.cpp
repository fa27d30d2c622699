#include "ehrprep/question_bank.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/edit_distance.hpp"
#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

using Json = nlohmann::json;

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_typeable_id(std::string_view id) {
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
    });
}

const char* json_type_name(const Json& value) {
    if (value.is_string()) return "a string";
    if (value.is_number_integer() || value.is_number_unsigned()) return "an integer";
    if (value.is_number()) return "a number";
    if (value.is_boolean()) return "a boolean";
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    return "null";
}

// nlohmann reports a byte offset; users want the line and column their editor shows.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
    byte = std::min(byte, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < byte;) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
            ++i;
        } else {
            ++column;  // a character, however many bytes it takes
            i += decode_utf8(text, i).length;
        }
    }
    return {line, column};
}

std::string parse_error_detail(const std::string& what) {
    // "[json.exception.parse_error.101] parse error at line 3, column 7: syntax error ..." or
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'": the place is given
    // as FILE:LINE:COLUMN instead.
    std::string_view detail = what;
    if (auto bracket = detail.find("] "); detail.starts_with('[') && bracket != std::string_view::npos)
        detail.remove_prefix(bracket + 2);
    if (detail.starts_with("parse error"))
        if (auto colon = detail.find(": "); colon != std::string_view::npos) detail.remove_prefix(colon + 2);
    return std::string(detail);
}

class BankReader {
public:
    explicit BankReader(std::string_view source) : source_(source) {}

    void problem(const std::string& where, const std::string& what) {
        problems_.lines.push_back(fmt::format("{}: {}: {}", source_, where, what));
    }

    // Returns the string in `field`, reporting a problem if it is missing, not a string or blank.
    std::string required_text(Json& object, const char* field, const std::string& where) {
        auto it = object.find(field);
        if (it == object.end()) {
            problem(where, fmt::format("missing field '{}'", field));
            return {};
        }
        if (!it->is_string()) {
            problem(where, fmt::format("field '{}' must be a string, not {}", field, json_type_name(*it)));
            return {};
        }
        // Moved out of the document rather than copied: banks can hold 100,000 questions.
        auto text = std::move(it->get_ref<std::string&>());
        if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; })) {
            problem(where, fmt::format("field '{}' is empty", field));
            return {};
        }
        return text;
    }

    Json* optional_array(Json& object, const char* field, const std::string& where) {
        auto it = object.find(field);
        if (it == object.end()) return nullptr;
        if (!it->is_array()) {
            problem(where, fmt::format("field '{}' must be an array, not {}", field, json_type_name(*it)));
            return nullptr;
        }
        return &*it;
    }

    std::vector<Concept> concepts(Json& question, const std::string& where) {
        std::vector<Concept> out;
        Json* list = optional_array(question, "concepts", where);
        if (list == nullptr) {
            if (!question.contains("concepts")) problem(where, "missing field 'concepts'");
            return out;
        }
        if (list->empty()) {
            problem(where, "field 'concepts' is empty: a question needs at least one concept to score");
            return out;
        }
        std::size_t number = 0;
        for (Json& item : *list) {
            ++number;
            std::string at = fmt::format("{}, concept {}", where, number);
            if (!item.is_object()) {
                problem(at, fmt::format("must be an object, not {}", json_type_name(item)));
                continue;
            }
            Concept concept_entry;
            concept_entry.label = required_text(item, "label", at);
            if (!concept_entry.label.empty()) at = fmt::format("{}, concept '{}'", where, concept_entry.label);
            if (auto w = item.find("weight"); w != item.end()) {
                if (!w->is_number()) {
                    problem(at, fmt::format("field 'weight' must be a number, not {}", json_type_name(*w)));
                } else if (!(w->get<double>() > 0.0)) {
                    problem(at, "field 'weight' must be greater than 0");
                } else {
                    concept_entry.weight = w->get<double>();
                }
            }
            Json* phrasings = optional_array(item, "any", at);
            if (phrasings == nullptr) {
                if (!item.contains("any")) problem(at, "missing field 'any' (the phrasings that count as saying it)");
            } else if (phrasings->empty()) {
                problem(at, "field 'any' is empty: a concept needs at least one phrasing");
            } else {
                std::size_t index = 0;
                for (Json& phrasing : *phrasings) {
                    ++index;
                    if (!phrasing.is_string() || phrasing.get<std::string>().empty()) {
                        problem(at, fmt::format("field 'any' item {} must be a non-empty string", index));
                        continue;
                    }
                    concept_entry.phrasings.push_back(std::move(phrasing.get_ref<std::string&>()));
                }
            }
            if (auto a = item.find("avoids"); a != item.end()) {
                if (!a->is_boolean()) {
                    problem(at, fmt::format("field 'avoids' must be true or false, not {}", json_type_name(*a)));
                } else {
                    concept_entry.avoids = a->get<bool>();
                }
            }
            concept_entry.cues = cues(item, at);
            if (item.contains("tip")) {
                concept_entry.tip = required_text(item, "tip", at);
                if (concept_entry.tip.size() > Concept::kMaxTipLength)
                    problem(at, fmt::format("field 'tip' is {} characters; keep it to {}", concept_entry.tip.size(),
                                            Concept::kMaxTipLength));
            }
            out.push_back(std::move(concept_entry));
        }
        // Coverage is a share of the total weight, which must itself be a number.
        double total = 0.0;
        for (const Concept& c : out) total += c.weight;
        if (!std::isfinite(total)) problem(where, "the concepts' weights add up to more than a number can hold");
        return out;
    }

    std::vector<Cue> cues(Json& concept_json, const std::string& where) {
        std::vector<Cue> out;
        Json* list = optional_array(concept_json, "cues", where);
        if (list == nullptr) return out;
        std::size_t number = 0;
        for (Json& item : *list) {
            const std::string at = fmt::format("{}, cue {}", where, ++number);
            if (!item.is_object()) {
                problem(at, fmt::format("must be an object with 'sets', not {}", json_type_name(item)));
                continue;
            }
            Cue cue;
            Json* sets = optional_array(item, "sets", at);
            if (sets == nullptr) {
                if (!item.contains("sets")) problem(at, "missing field 'sets' (lists of words that say the concept together)");
                continue;
            }
            if (sets->empty()) problem(at, "field 'sets' is empty");
            std::size_t entries = 0;
            std::size_t set_number = 0;
            for (Json& set : *sets) {
                ++set_number;
                if (!set.is_array() || set.empty()) {
                    problem(at, fmt::format("field 'sets' item {} must be a non-empty array of words", set_number));
                    continue;
                }
                std::vector<std::string> words;
                for (Json& entry : set) {
                    if (!entry.is_string() || entry.get_ref<std::string&>().empty()) {
                        problem(at, fmt::format("field 'sets' item {} holds something other than non-empty text",
                                                set_number));
                        continue;
                    }
                    words.push_back(std::move(entry.get_ref<std::string&>()));
                }
                entries += words.size();
                cue.sets.push_back(std::move(words));
            }
            if (auto n = item.find("at_least"); n != item.end()) {
                if (!n->is_number_integer() || n->get<long long>() < static_cast<long long>(cue.sets.size()) ||
                    n->get<long long>() > static_cast<long long>(entries)) {
                    problem(at, fmt::format("field 'at_least' must be a whole number from {} (one per set) to {} "
                                            "(every entry)",
                                            cue.sets.size(), entries));
                } else {
                    cue.at_least = static_cast<std::size_t>(n->get<long long>());
                }
            }
            if (sets->size() == 1 && cue.at_least < 2 && !cue.sets.empty())
                problem(at, "a cue with one set needs 'at_least' of 2 or more; a single phrasing belongs in 'any'");
            if (auto w = item.find("within"); w != item.end()) {
                if (!w->is_number_integer() || w->get<long long>() < 2 ||
                    w->get<long long>() > static_cast<long long>(Cue::kMaxWithin)) {
                    problem(at, fmt::format("field 'within' must be a whole number of words from 2 to {}", Cue::kMaxWithin));
                } else {
                    cue.within = static_cast<std::size_t>(w->get<long long>());
                }
            }
            out.push_back(std::move(cue));
        }
        return out;
    }

    void question(Json& item, const std::string& tier_id, const std::string& where_tier,
                  std::size_t number, std::vector<Question>& out) {
        std::string where = fmt::format("{}, question {}", where_tier, number);
        if (!item.is_object()) {
            problem(where, fmt::format("must be an object, not {}", json_type_name(item)));
            return;
        }
        Question q;
        q.id = required_text(item, "id", where);
        if (!q.id.empty()) {
            where = fmt::format("question '{}'", q.id);
            if (!is_typeable_id(q.id)) {
                problem(where, "field 'id' may contain only letters, digits, '-', '_' and '.'");
            } else if (!seen_ids_.insert(lowercase(q.id)).second) {
                problem(where, "duplicate id (ids must be unique, ignoring case)");
            }
        }
        q.tier_id = tier_id;
        q.text = required_text(item, "question", where);
        q.hint = required_text(item, "hint", where);
        q.concepts = concepts(item, where);
        if (item.contains("example")) q.example = required_text(item, "example", where);
        out.push_back(std::move(q));
    }

    Result<QuestionBank, BankProblems> read(Json& root) {
        if (!root.is_object()) {
            problems_.lines.push_back(fmt::format("{}: the bank must be a JSON object, not {}", source_,
                                                  json_type_name(root)));
            return problems_;
        }
        if (auto v = root.find("schema_version"); v == root.end()) {
            problem("bank", "missing field 'schema_version'");
        } else if (!v->is_number_integer()) {
            problem("bank", fmt::format("field 'schema_version' must be an integer, not {}", json_type_name(*v)));
        } else if (*v != QuestionBank::kSchemaVersion) {
            // As written: an unsigned value beyond the signed range would print as a negative one.
            problem("bank", fmt::format("field 'schema_version' is {}; this version of ehrprep reads {}", v->dump(),
                                        QuestionBank::kSchemaVersion));
        }
        std::string title = required_text(root, "title", "bank");

        std::vector<Tier> tiers;
        std::vector<std::pair<std::string, Json*>> tier_questions;
        Json* tier_list = optional_array(root, "tiers", "bank");
        if (tier_list == nullptr && !root.contains("tiers")) problem("bank", "missing field 'tiers'");
        if (tier_list != nullptr && tier_list->empty()) problem("bank", "field 'tiers' is empty");
        std::set<std::string> tier_ids;
        std::size_t tier_number = 0;
        Json no_tiers = Json::array();
        for (Json& item : tier_list != nullptr ? *tier_list : no_tiers) {
            ++tier_number;
            std::string where = fmt::format("tier {}", tier_number);
            if (!item.is_object()) {
                problem(where, fmt::format("must be an object, not {}", json_type_name(item)));
                continue;
            }
            Tier tier;
            tier.id = required_text(item, "id", where);
            if (!tier.id.empty()) {
                where = fmt::format("tier '{}'", tier.id);
                if (!is_typeable_id(tier.id)) {
                    problem(where, "field 'id' may contain only letters, digits, '-', '_' and '.'");
                } else if (!tier_ids.insert(lowercase(tier.id)).second) {
                    problem(where, "duplicate tier id");
                }
            }
            tier.name = required_text(item, "name", where);
            if (auto t = item.find("time_limit_seconds"); t != item.end()) {
                if (!t->is_number_integer() || t->get<long long>() <= 0 || t->get<long long>() > 86400) {
                    problem(where, "field 'time_limit_seconds' must be a whole number of seconds from 1 to 86400");
                } else {
                    tier.time_limit_seconds = t->get<int>();
                }
            }
            if (Json* qs = optional_array(item, "questions", where)) tier_questions.emplace_back(tier.id, qs);
            tiers.push_back(std::move(tier));
        }

        std::vector<Question> questions;
        for (const auto& [tier_id, list] : tier_questions) {
            std::size_t number = 0;
            for (Json& item : *list) question(item, tier_id, fmt::format("tier '{}'", tier_id), ++number, questions);
        }
        // A bank may also list questions at the top level, each naming its tier.
        if (Json* flat = optional_array(root, "questions", "bank")) {
            std::size_t number = 0;
            for (Json& item : *flat) {
                ++number;
                std::string where = fmt::format("questions item {}", number);
                if (item.is_object() && item.contains("id") && item["id"].is_string())
                    where = fmt::format("question '{}'", item["id"].get<std::string>());
                std::string tier_id = item.is_object() ? required_text(item, "tier", where) : std::string{};
                if (!tier_id.empty() && tier_ids.count(lowercase(tier_id)) == 0) {
                    std::vector<std::string> known;
                    for (const auto& t : tiers) known.push_back(t.id);
                    problem(where, fmt::format("field 'tier' names unknown tier '{}' (tiers: {})", tier_id,
                                               fmt::join(known, ", ")));
                    continue;
                }
                auto match = std::find_if(tiers.begin(), tiers.end(),
                                          [&](const Tier& t) { return lowercase(t.id) == lowercase(tier_id); });
                question(item, match == tiers.end() ? tier_id : match->id, "bank", number, questions);
            }
        }
        if (problems_.lines.empty() && questions.empty()) problem("bank", "the bank has no questions");
        coaching_is_complete(questions);
        if (!problems_.lines.empty()) return problems_;

        // Tier order is the bank's; flat questions join their tier after the nested ones.
        std::stable_sort(questions.begin(), questions.end(), [&](const Question& a, const Question& b) {
            auto rank = [&](const Question& q) {
                return std::find_if(tiers.begin(), tiers.end(), [&](const Tier& t) { return t.id == q.tier_id; }) -
                       tiers.begin();
            };
            return rank(a) < rank(b);
        });
        return QuestionBank(std::move(title), std::move(tiers), std::move(questions));
    }

    // Tips and example answers are optional, but a bank that has them has them everywhere, so
    // that no question is coached less than the rest by oversight.
    void coaching_is_complete(const std::vector<Question>& questions) {
        bool any_tip = false;
        bool any_example = false;
        for (const Question& q : questions) {
            any_example = any_example || !q.example.empty();
            for (const Concept& c : q.concepts) any_tip = any_tip || !c.tip.empty();
        }
        for (const Question& q : questions) {
            const std::string where = fmt::format("question '{}'", q.id);
            if (any_example && q.example.empty())
                problem(where, "missing field 'example' (other questions have an example answer)");
            if (!any_tip) continue;
            for (const Concept& c : q.concepts)
                if (c.tip.empty() && !c.label.empty())
                    problem(fmt::format("{}, concept '{}'", where, c.label),
                            "missing field 'tip' (other concepts have a tip)");
        }
    }

private:
    std::string source_;
    BankProblems problems_;
    std::set<std::string> seen_ids_;
};

}  // namespace

namespace {

constexpr std::uint32_t kNoQuestion = UINT32_MAX;

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t hash_ignoring_case(std::string_view id) {
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (char c : id) hash = (hash ^ static_cast<unsigned char>(ascii_lower(c))) * 1099511628211ULL;
    return static_cast<std::size_t>(hash);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace

QuestionBank::QuestionBank(std::string title, std::vector<Tier> tiers, std::vector<Question> questions)
    : title_(std::move(title)), tiers_(std::move(tiers)), questions_(std::move(questions)) {
    std::size_t capacity = 16;
    while (capacity < questions_.size() * 2) capacity *= 2;
    id_slots_.assign(capacity, kNoQuestion);
    for (std::size_t i = 0; i < questions_.size(); ++i) {
        std::size_t slot = hash_ignoring_case(questions_[i].id) & (capacity - 1);
        while (id_slots_[slot] != kNoQuestion) slot = (slot + 1) & (capacity - 1);
        id_slots_[slot] = static_cast<std::uint32_t>(i);
    }
}

// Questions whose ids are equal ignoring case share a probe sequence, in bank order.
template <typename Same>
std::optional<std::size_t> QuestionBank::find_index(std::string_view id, Same same) const {
    const std::size_t mask = id_slots_.size() - 1;
    for (std::size_t slot = hash_ignoring_case(id) & mask; id_slots_[slot] != kNoQuestion; slot = (slot + 1) & mask)
        if (same(questions_[id_slots_[slot]].id, id)) return id_slots_[slot];
    return std::nullopt;
}

const Question* QuestionBank::find_question(std::string_view id) const {
    auto index = question_index(id);
    return index ? &questions_[*index] : nullptr;
}

std::optional<std::size_t> QuestionBank::question_index(std::string_view id) const {
    return find_index(id, equal_ignoring_case);
}

std::optional<std::size_t> QuestionBank::exact_question_index(std::string_view id) const {
    return find_index(id, [](std::string_view a, std::string_view b) { return a == b; });
}

const Tier* QuestionBank::find_tier(std::string_view id) const {
    for (const Tier& tier : tiers_)
        if (tier.id == id) return &tier;
    return nullptr;
}

std::size_t QuestionBank::count_in_tier(std::string_view tier_id) const {
    return static_cast<std::size_t>(std::count_if(questions_.begin(), questions_.end(),
                                                  [&](const Question& q) { return q.tier_id == tier_id; }));
}

Result<std::string> QuestionBank::resolve_tier(std::string_view name) const {
    const std::string wanted = lowercase(name);
    for (const Tier& tier : tiers_)
        if (lowercase(tier.id) == wanted || lowercase(tier.name) == wanted) return tier.id;
    const Tier* by_suffix = nullptr;
    int matches = 0;
    for (const Tier& tier : tiers_) {
        std::string id = lowercase(tier.id);
        auto dash = id.rfind('-');
        if (dash != std::string::npos && id.substr(dash + 1) == wanted) {
            by_suffix = &tier;
            ++matches;
        }
    }
    if (matches == 1) return by_suffix->id;
    // A slip may be in an id, a display name or the last part of an id; whichever it was, the
    // id is what to type.
    std::vector<std::string> names;
    std::vector<const Tier*> named;
    for (const Tier& tier : tiers_) {
        const auto dash = tier.id.rfind('-');
        for (const std::string& text :
             {tier.id, tier.name, dash == std::string::npos ? std::string() : tier.id.substr(dash + 1)}) {
            if (text.empty()) continue;
            names.push_back(text);
            named.push_back(&tier);
        }
    }
    if (auto closest = closest_match(name, names))
        return Error{fmt::format("unknown tier '{}' (did you mean {}?)", name, named[*closest]->id)};
    std::vector<std::string> valid;
    for (const Tier& tier : tiers_) valid.push_back(tier.id);
    return Error{fmt::format("unknown tier '{}' (valid tiers: {})", name, fmt::join(valid, ", "))};
}

Error QuestionBank::no_such_question(std::string_view id) const {
    std::vector<std::string> ids;
    for (const Question& question : questions_) ids.push_back(question.id);
    if (auto closest = closest_match(id, ids))
        return Error{fmt::format("no question with id '{}' (did you mean {}?)", id, ids[*closest])};
    return Error{fmt::format("no question with id '{}' (see 'ehrprep list')", id)};
}

bool tier_selected(const std::vector<std::string>& selected, std::string_view tier_id) {
    return selected.empty() || std::find(selected.begin(), selected.end(), tier_id) != selected.end();
}

namespace {

// Builds the document as nlohmann's parser does, but keeps where and why it stopped instead of
// throwing: a number out of range (1e400) stops it as a syntax error does, and only the parser
// knows where that number was.
class DocumentBuilder : public nlohmann::detail::json_sax_dom_parser<Json> {
public:
    explicit DocumentBuilder(Json& root) : json_sax_dom_parser(root, false) {}

    bool parse_error(std::size_t byte, const std::string& /*token*/, const nlohmann::detail::exception& e) {
        error_byte = byte;
        error = e.what();
        return false;
    }

    std::size_t error_byte = 0;
    std::optional<std::string> error;
};

}  // namespace

Result<QuestionBank, BankProblems> parse_question_bank(std::string_view json_text, std::string_view source) {
    // nlohmann's reader takes a NUL byte for the end of the text, which would let anything after
    // it through unread.
    if (const std::size_t nul = json_text.find('\0'); nul != std::string_view::npos) {
        auto [line, column] = line_and_column(json_text, nul);
        return BankProblems{{fmt::format("{}:{}:{}: a NUL byte; a bank is text", source, line, column)}};
    }
    Json root;
    DocumentBuilder builder(root);
    if (!Json::sax_parse(json_text.begin(), json_text.end(), &builder) || builder.error) {
        // nlohmann's byte offset points one past the offending character.
        const std::size_t byte = builder.error_byte;
        auto [line, column] = line_and_column(json_text, byte == 0 ? 0 : byte - 1);
        return BankProblems{{fmt::format("{}:{}:{}: {}", source, line, column,
                                         parse_error_detail(builder.error.value_or("cannot be read as JSON")))}};
    }
    return BankReader(source).read(root);
}

}  // namespace ehrprep
