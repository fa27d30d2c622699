// parse_question_bank(): reads a bank from nlohmann's SAX events straight into the bank's own
// types. No document of the whole file is built: a 100,000-question bank costs little more
// than tokenizing it, and unknown fields cost nothing but the skipping.
//
// Reading and checking are two steps. The reader only records what each field held (its JSON
// type, its value when the bank's types can hold it); the checks run once the file is read,
// because a message names a question by an id that may come after the field it is about, and
// problems are listed in one fixed order whatever order the fields were written in.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/id_table.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

// The JSON type a value had, as messages name it; `absent` for a field that was not written.
enum class Kind : std::uint8_t { absent, null, boolean, integer, number, string, array, object };

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::string: return "a string";
        case Kind::integer: return "an integer";
        case Kind::number: return "a number";
        case Kind::boolean: return "a boolean";
        case Kind::array: return "an array";
        case Kind::object: return "an object";
        case Kind::null:
        case Kind::absent: break;
    }
    return "null";
}

bool is_number(Kind kind) { return kind == Kind::integer || kind == Kind::number; }

// A numeric field as the checks need it: whole numbers as nlohmann's get<long long>() gives them
// (an unsigned value beyond the signed range wraps, and is then out of every allowed range).
struct NumberField {
    Kind kind = Kind::absent;
    long long whole = 0;
    double value = 0.0;
};

// What was written for each part of the bank. Fields the bank's types can hold are read into
// them directly (`value`); the Kind beside each records what was there, for the checks.
struct CueDraft {
    Kind kind = Kind::object;
    Cue value;
    Kind sets = Kind::absent;
    std::size_t set_count = 0;  // every item of 'sets', usable or not
    struct SetProblem {
        std::size_t set_number;
        bool unusable;  // not a non-empty array, rather than holding an entry that is not text
    };
    std::vector<SetProblem> set_problems;  // in the order the file has them
    NumberField at_least;
    NumberField within;
};

struct ConceptDraft {
    Kind kind = Kind::object;
    Concept value;
    Kind label = Kind::absent;
    NumberField weight;
    Kind any = Kind::absent;
    std::size_t any_count = 0;               // every item of 'any'
    std::vector<std::size_t> bad_phrasings;  // 1-based positions in 'any'
    Kind avoids = Kind::absent;
    bool avoids_value = false;
    Kind cues = Kind::absent;
    std::vector<CueDraft> cue_drafts;
    Kind tip = Kind::absent;
};

struct QuestionDraft {
    Kind kind = Kind::object;
    Question value;
    Kind id = Kind::absent;
    Kind text = Kind::absent;
    Kind hint = Kind::absent;
    Kind example = Kind::absent;
    Kind concepts = Kind::absent;
    std::vector<ConceptDraft> concept_drafts;
    Kind tier = Kind::absent;  // top-level questions name their tier
    std::string tier_name;
};

struct TierDraft {
    Kind kind = Kind::object;
    Tier value;
    Kind id = Kind::absent;
    Kind name = Kind::absent;
    NumberField time_limit;
    Kind questions = Kind::absent;
    std::vector<QuestionDraft> question_drafts;
};

struct BankDraft {
    Kind kind = Kind::absent;
    Kind schema_version = Kind::absent;
    bool schema_version_is_ours = false;
    std::string schema_version_as_written;
    Kind title = Kind::absent;
    std::string title_text;
    Kind tiers = Kind::absent;
    std::vector<TierDraft> tier_drafts;
    Kind questions = Kind::absent;
    std::vector<QuestionDraft> question_drafts;
};

// The containers the reader descends into; anything else is skipped whole.
enum class Place : std::uint8_t { bank, tiers, tier, tier_questions, questions, question, concepts, concept_,
                                  any, cues, cue, sets, set, skip };

enum class Field : std::uint8_t { unknown, schema_version, title, tiers, questions, id, name, time_limit_seconds,
                                  question, hint, example, tier, concepts, label, weight, any, avoids, cues, tip,
                                  sets, at_least, within };

struct NamedField {
    std::string_view name;
    Field field;
};

Field field_named(Place place, std::string_view key) {
    static constexpr NamedField kBankFields[] = {
        {"schema_version", Field::schema_version}, {"title", Field::title}, {"tiers", Field::tiers},
        {"questions", Field::questions}};
    static constexpr NamedField kTierFields[] = {
        {"id", Field::id}, {"name", Field::name}, {"time_limit_seconds", Field::time_limit_seconds},
        {"questions", Field::questions}};
    static constexpr NamedField kQuestionFields[] = {
        {"id", Field::id},           {"question", Field::question}, {"hint", Field::hint},
        {"concepts", Field::concepts}, {"example", Field::example},  {"tier", Field::tier}};
    static constexpr NamedField kConceptFields[] = {
        {"label", Field::label}, {"any", Field::any}, {"weight", Field::weight},
        {"cues", Field::cues},   {"tip", Field::tip}, {"avoids", Field::avoids}};
    static constexpr NamedField kCueFields[] = {
        {"sets", Field::sets}, {"at_least", Field::at_least}, {"within", Field::within}};
    auto find = [key](const auto& fields) {
        for (const NamedField& f : fields)
            if (f.name == key) return f.field;
        return Field::unknown;
    };
    switch (place) {
        case Place::bank: return find(kBankFields);
        case Place::tier: return find(kTierFields);
        case Place::question: return find(kQuestionFields);
        case Place::concept_: return find(kConceptFields);
        case Place::cue: return find(kCueFields);
        default: return Field::unknown;
    }
}

// nlohmann's SAX handler: a stack of the containers being read, each object with the field its
// next value belongs to. As in nlohmann's own document, a field written twice counts as the last.
class BankStream {
public:
    explicit BankStream(BankDraft& bank) : bank_(bank) { stack_.reserve(16); }

    bool null() { return scalar(Kind::null); }
    bool boolean(bool value) {
        flag_ = value;
        return scalar(Kind::boolean);
    }
    bool number_integer(std::int64_t value) {
        whole_ = value;
        number_ = static_cast<double>(value);
        unsigned_ = false;
        return scalar(Kind::integer);
    }
    bool number_unsigned(std::uint64_t value) {
        whole_ = static_cast<long long>(value);
        number_ = static_cast<double>(value);
        unsigned_ = true;
        return scalar(Kind::integer);
    }
    bool number_float(double value, const std::string& /*as_written*/) {
        number_ = value;
        return scalar(Kind::number);
    }
    bool string(std::string& value) {
        text_ = &value;
        return scalar(Kind::string);
    }
    bool binary(nlohmann::json::binary_t& /*value*/) { return scalar(Kind::null); }  // not in JSON text

    bool start_object(std::size_t /*elements*/) { return open(Kind::object); }
    bool start_array(std::size_t /*elements*/) { return open(Kind::array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string& name) {
        if (skip_depth_ == 0) stack_.back().field = field_named(stack_.back().place, name);
        return true;
    }

    // Keeps where and why parsing stopped instead of throwing: a number out of range (1e400)
    // stops it as a syntax error does, and only the parser knows where that number was.
    bool parse_error(std::size_t byte, const std::string& /*token*/, const nlohmann::detail::exception& e) {
        error_byte = byte;
        error = e.what();
        return false;
    }

    std::size_t error_byte = 0;
    std::optional<std::string> error;

private:
    struct Frame {
        Place place;
        Field field = Field::unknown;
    };

    bool scalar(Kind kind) {
        if (skip_depth_ == 0) (void)enter(kind);
        return true;
    }

    bool open(Kind kind) {
        if (skip_depth_ > 0) {
            ++skip_depth_;
            return true;
        }
        const Place place = enter(kind);
        if (place == Place::skip) {
            skip_depth_ = 1;
        } else {
            stack_.push_back(Frame{place});
        }
        return true;
    }

    bool close() {
        if (skip_depth_ > 0) {
            --skip_depth_;
            return true;
        }
        if (stack_.back().place == Place::set && set_entries_ == 0) {
            cue_->value.sets.pop_back();
            cue_->set_problems.push_back({cue_->set_count, true});
        }
        stack_.pop_back();
        return true;
    }

    // Records a value where it belongs and says which container, if it is one, to read next.
    Place enter(Kind kind) {
        if (stack_.empty()) {
            bank_.kind = kind;
            return kind == Kind::object ? Place::bank : Place::skip;
        }
        Frame& frame = stack_.back();
        switch (frame.place) {
            case Place::bank: return bank_field(frame.field, kind);
            case Place::tiers:
                tier_ = &bank_.tier_drafts.emplace_back();
                tier_->kind = kind;
                return kind == Kind::object ? Place::tier : Place::skip;
            case Place::tier: return tier_field(frame.field, kind);
            case Place::tier_questions:
            case Place::questions: {
                auto& list = frame.place == Place::questions ? bank_.question_drafts : tier_->question_drafts;
                question_ = &list.emplace_back();
                question_->kind = kind;
                return kind == Kind::object ? Place::question : Place::skip;
            }
            case Place::question: return question_field(frame.field, kind);
            case Place::concepts:
                concept_ = &question_->concept_drafts.emplace_back();
                concept_->kind = kind;
                return kind == Kind::object ? Place::concept_ : Place::skip;
            case Place::concept_: return concept_field(frame.field, kind);
            case Place::any:
                ++concept_->any_count;
                if (kind == Kind::string && !text_->empty()) {
                    concept_->value.phrasings.push_back(*text_);
                } else {
                    concept_->bad_phrasings.push_back(concept_->any_count);
                }
                return Place::skip;
            case Place::cues:
                cue_ = &concept_->cue_drafts.emplace_back();
                cue_->kind = kind;
                return kind == Kind::object ? Place::cue : Place::skip;
            case Place::cue: return cue_field(frame.field, kind);
            case Place::sets:
                ++cue_->set_count;
                if (kind == Kind::array) {
                    cue_->value.sets.emplace_back();
                    set_entries_ = 0;
                    return Place::set;
                }
                cue_->set_problems.push_back({cue_->set_count, true});
                return Place::skip;
            case Place::set:
                ++set_entries_;
                if (kind == Kind::string && !text_->empty()) {
                    cue_->value.sets.back().push_back(*text_);
                } else {
                    cue_->set_problems.push_back({cue_->set_count, false});
                }
                return Place::skip;
            case Place::skip: break;
        }
        return Place::skip;
    }

    // A text field: the text when it is one, else only its kind.
    void text(Kind kind, Kind& slot, std::string& into) {
        slot = kind;
        if (kind == Kind::string) {
            into = *text_;
        } else {
            into.clear();
        }
    }

    void number(Kind kind, NumberField& into) {
        into.kind = kind;
        into.whole = whole_;
        into.value = number_;
    }

    // An array field starts over when written again; anything else in its place is only a kind.
    template <typename List>
    Place list(Kind kind, Kind& slot, List& items, Place place) {
        slot = kind;
        items.clear();
        return kind == Kind::array ? place : Place::skip;
    }

    Place bank_field(Field field, Kind kind) {
        switch (field) {
            case Field::schema_version:
                bank_.schema_version = kind;
                bank_.schema_version_is_ours = kind == Kind::integer && whole_ == QuestionBank::kSchemaVersion;
                // As written: an unsigned value beyond the signed range would print as a negative one.
                if (kind == Kind::integer)
                    bank_.schema_version_as_written = unsigned_ ? fmt::to_string(static_cast<std::uint64_t>(whole_))
                                                                : fmt::to_string(whole_);
                break;
            case Field::title: text(kind, bank_.title, bank_.title_text); break;
            case Field::tiers: return list(kind, bank_.tiers, bank_.tier_drafts, Place::tiers);
            case Field::questions: return list(kind, bank_.questions, bank_.question_drafts, Place::questions);
            default: break;
        }
        return Place::skip;
    }

    Place tier_field(Field field, Kind kind) {
        switch (field) {
            case Field::id: text(kind, tier_->id, tier_->value.id); break;
            case Field::name: text(kind, tier_->name, tier_->value.name); break;
            case Field::time_limit_seconds: number(kind, tier_->time_limit); break;
            case Field::questions: return list(kind, tier_->questions, tier_->question_drafts, Place::tier_questions);
            default: break;
        }
        return Place::skip;
    }

    Place question_field(Field field, Kind kind) {
        switch (field) {
            case Field::id: text(kind, question_->id, question_->value.id); break;
            case Field::question: text(kind, question_->text, question_->value.text); break;
            case Field::hint: text(kind, question_->hint, question_->value.hint); break;
            case Field::example: text(kind, question_->example, question_->value.example); break;
            case Field::tier: text(kind, question_->tier, question_->tier_name); break;
            case Field::concepts:
                return list(kind, question_->concepts, question_->concept_drafts, Place::concepts);
            default: break;
        }
        return Place::skip;
    }

    Place concept_field(Field field, Kind kind) {
        switch (field) {
            case Field::label: text(kind, concept_->label, concept_->value.label); break;
            case Field::weight: number(kind, concept_->weight); break;
            case Field::any:
                concept_->any_count = 0;
                concept_->bad_phrasings.clear();
                return list(kind, concept_->any, concept_->value.phrasings, Place::any);
            case Field::avoids:
                concept_->avoids = kind;
                concept_->avoids_value = kind == Kind::boolean && flag_;
                break;
            case Field::cues: return list(kind, concept_->cues, concept_->cue_drafts, Place::cues);
            case Field::tip: text(kind, concept_->tip, concept_->value.tip); break;
            default: break;
        }
        return Place::skip;
    }

    Place cue_field(Field field, Kind kind) {
        switch (field) {
            case Field::sets:
                cue_->set_count = 0;
                cue_->set_problems.clear();
                return list(kind, cue_->sets, cue_->value.sets, Place::sets);
            case Field::at_least: number(kind, cue_->at_least); break;
            case Field::within: number(kind, cue_->within); break;
            default: break;
        }
        return Place::skip;
    }

    BankDraft& bank_;
    std::vector<Frame> stack_;
    std::size_t skip_depth_ = 0;  // inside a value nothing reads: only its end matters
    // The innermost part of each kind being read; a list only grows at its innermost level, so
    // these stay valid while their parts are read.
    TierDraft* tier_ = nullptr;
    QuestionDraft* question_ = nullptr;
    ConceptDraft* concept_ = nullptr;
    CueDraft* cue_ = nullptr;
    std::size_t set_entries_ = 0;
    // The scalar being delivered.
    std::string* text_ = nullptr;
    long long whole_ = 0;
    double number_ = 0.0;
    bool unsigned_ = false;  // whole_ holds a std::uint64_t
    bool flag_ = false;
};

bool is_typeable_id(std::string_view id) {
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
    });
}

// Where a problem is, as messages name it: "tier 't1', question 3" or "question 'q1', concept
// 'l', cue 2". Spelled out only when there is a problem: most banks have none, and spelling the
// place of each of 100,000 questions in advance would cost more than reading them.
struct Location {
    const Location* parent = nullptr;
    std::string_view noun;  // "bank", "tier", "question", "questions item", "concept", "cue"
    std::string_view name;  // an id or label, shown quoted, when `named`
    bool named = false;
    std::size_t number = 0;  // else the position from 1 (0: the noun alone, as for "bank")

    static Location numbered(const Location* parent, std::string_view noun, std::size_t number) {
        return {parent, noun, {}, false, number};
    }
    static Location called(const Location* parent, std::string_view noun, std::string_view name) {
        return {parent, noun, name, true, 0};
    }

    [[nodiscard]] std::string text() const {
        std::string own = named ? fmt::format("{} '{}'", noun, name)
                                : number > 0 ? fmt::format("{} {}", noun, number) : std::string(noun);
        return parent == nullptr ? own : fmt::format("{}, {}", parent->text(), own);
    }
};

constexpr Location kBank{nullptr, "bank"};

// Checks what was read, in the order problems are listed: the bank's own fields, each tier,
// the questions nested in tiers, the top-level questions, then what concerns the whole bank.
class BankChecker {
public:
    explicit BankChecker(std::string_view source) : source_(source) {}

    Result<QuestionBank, BankProblems> check(BankDraft& bank) {
        if (bank.kind != Kind::object) {
            problems_.lines.push_back(
                fmt::format("{}: the bank must be a JSON object, not {}", source_, kind_name(bank.kind)));
            return problems_;
        }
        if (bank.schema_version == Kind::absent) {
            problem(kBank, "missing field 'schema_version'");
        } else if (bank.schema_version != Kind::integer) {
            problem(kBank, fmt::format("field 'schema_version' must be an integer, not {}",
                                        kind_name(bank.schema_version)));
        } else if (!bank.schema_version_is_ours) {
            problem(kBank, fmt::format("field 'schema_version' is {}; this version of ehrprep reads {}",
                                        bank.schema_version_as_written, QuestionBank::kSchemaVersion));
        }
        std::string title = required_text(bank.title, bank.title_text, "title", kBank);
        if (bank.tiers == Kind::absent) problem(kBank, "missing field 'tiers'");
        if (is_array(bank.tiers, "tiers", kBank) && bank.tier_drafts.empty()) problem(kBank, "field 'tiers' is empty");

        std::vector<Tier> tiers;
        std::set<std::string> tier_ids;
        // Each tier's questions with the tier they are in, read once every tier is known.
        std::vector<std::pair<std::size_t, std::vector<QuestionDraft>*>> nested;
        std::size_t tier_number = 0;
        for (TierDraft& item : bank.tier_drafts) {
            Location where = Location::numbered(nullptr, "tier", ++tier_number);
            if (item.kind != Kind::object) {
                problem(where, fmt::format("must be an object, not {}", kind_name(item.kind)));
                continue;
            }
            Tier tier;
            tier.id = required_text(item.id, item.value.id, "id", where);
            if (!tier.id.empty()) {
                where = Location::called(nullptr, "tier", tier.id);
                if (!is_typeable_id(tier.id)) {
                    problem(where, "field 'id' may contain only letters, digits, '-', '_' and '.'");
                } else if (!tier_ids.insert(lowercase_id(tier.id)).second) {
                    problem(where, "duplicate tier id");
                }
            }
            tier.name = required_text(item.name, item.value.name, "name", where);
            if (const NumberField& t = item.time_limit; t.kind != Kind::absent) {
                if (t.kind != Kind::integer || t.whole <= 0 || t.whole > 86400) {
                    problem(where, "field 'time_limit_seconds' must be a whole number of seconds from 1 to 86400");
                } else {
                    tier.time_limit_seconds = static_cast<int>(t.whole);
                }
            }
            if (is_array(item.questions, "questions", where)) nested.emplace_back(tiers.size(), &item.question_drafts);
            tiers.push_back(std::move(tier));
        }

        std::size_t drafted = bank.question_drafts.size();
        for (const TierDraft& item : bank.tier_drafts) drafted += item.question_drafts.size();
        std::vector<Question> questions;
        std::vector<std::size_t> tier_of;  // the index in `tiers` of each question's tier
        questions.reserve(drafted);
        tier_of.reserve(drafted);
        for (const auto& [tier_index, list] : nested) {
            const std::string& tier_id = tiers[tier_index].id;
            const Location where_tier = Location::called(nullptr, "tier", tier_id);
            std::size_t number = 0;
            for (QuestionDraft& item : *list)
                if (question(item, tier_id, where_tier, ++number, questions)) tier_of.push_back(tier_index);
        }
        // A bank may also list questions at the top level, each naming its tier.
        if (is_array(bank.questions, "questions", kBank)) {
            std::size_t number = 0;
            for (QuestionDraft& item : bank.question_drafts) {
                ++number;
                Location where = Location::numbered(nullptr, "questions item", number);
                if (item.kind == Kind::object && item.id == Kind::string)
                    where = Location::called(nullptr, "question", item.value.id);
                std::string tier_id =
                    item.kind == Kind::object ? required_text(item.tier, item.tier_name, "tier", where) : std::string{};
                if (!tier_id.empty() && tier_ids.count(lowercase_id(tier_id)) == 0) {
                    std::vector<std::string> known;
                    for (const auto& t : tiers) known.push_back(t.id);
                    problem(where, fmt::format("field 'tier' names unknown tier '{}' (tiers: {})", tier_id,
                                               fmt::join(known, ", ")));
                    continue;
                }
                const std::string wanted = lowercase_id(tier_id);
                auto match = std::find_if(tiers.begin(), tiers.end(),
                                          [&](const Tier& t) { return lowercase_id(t.id) == wanted; });
                if (question(item, match == tiers.end() ? tier_id : match->id, kBank, number, questions))
                    tier_of.push_back(static_cast<std::size_t>(match - tiers.begin()));
            }
        }
        if (problems_.lines.empty() && questions.empty()) problem(kBank, "the bank has no questions");
        coaching_is_complete(questions);
        if (!problems_.lines.empty()) return problems_;
        std::vector<Question> ordered = in_tier_order(std::move(questions), tier_of, tiers.size());
        return QuestionBank(std::move(title), std::move(tiers), std::move(ordered));
    }

private:
    void problem(const Location& where, const std::string& what) {
        problems_.lines.push_back(fmt::format("{}: {}: {}", source_, where.text(), what));
    }

    // The text of a field that must be non-blank text, or "" after reporting why it is not.
    std::string required_text(Kind kind, std::string& text, const char* field, const Location& where) {
        if (kind == Kind::absent) {
            problem(where, fmt::format("missing field '{}'", field));
            return {};
        }
        if (kind != Kind::string) {
            problem(where, fmt::format("field '{}' must be a string, not {}", field, kind_name(kind)));
            return {};
        }
        if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; })) {
            problem(where, fmt::format("field '{}' is empty", field));
            return {};
        }
        return std::move(text);
    }

    // Whether an optional field is an array, reporting it when it is written as something else.
    bool is_array(Kind kind, const char* field, const Location& where) {
        if (kind == Kind::absent || kind == Kind::array) return kind == Kind::array;
        problem(where, fmt::format("field '{}' must be an array, not {}", field, kind_name(kind)));
        return false;
    }

    // Adds the question to `out` when it is an object at all, and says whether it did.
    bool question(QuestionDraft& item, const std::string& tier_id, const Location& where_tier, std::size_t number,
                  std::vector<Question>& out) {
        Location where = Location::numbered(&where_tier, "question", number);
        if (item.kind != Kind::object) {
            problem(where, fmt::format("must be an object, not {}", kind_name(item.kind)));
            return false;
        }
        Question& q = item.value;
        q.id = required_text(item.id, q.id, "id", where);
        if (!q.id.empty()) {
            where = Location::called(nullptr, "question", q.id);
            if (!is_typeable_id(q.id)) {
                problem(where, "field 'id' may contain only letters, digits, '-', '_' and '.'");
            } else if (const std::size_t known = seen_ids_.size(); seen_ids_.add(lowercase_id(q.id)) < known) {
                problem(where, "duplicate id (ids must be unique, ignoring case)");
            }
        }
        q.tier_id = tier_id;
        q.text = required_text(item.text, q.text, "question", where);
        q.hint = required_text(item.hint, q.hint, "hint", where);
        q.concepts = concepts(item, where);
        if (item.example != Kind::absent) q.example = required_text(item.example, q.example, "example", where);
        out.push_back(std::move(q));
        return true;
    }

    std::vector<Concept> concepts(QuestionDraft& question, const Location& where) {
        std::vector<Concept> out;
        if (question.concepts == Kind::absent) {
            problem(where, "missing field 'concepts'");
            return out;
        }
        if (!is_array(question.concepts, "concepts", where)) return out;
        if (question.concept_drafts.empty()) {
            problem(where, "field 'concepts' is empty: a question needs at least one concept to score");
            return out;
        }
        out.reserve(question.concept_drafts.size());
        std::size_t number = 0;
        for (ConceptDraft& item : question.concept_drafts) {
            Location at = Location::numbered(&where, "concept", ++number);
            if (item.kind != Kind::object) {
                problem(at, fmt::format("must be an object, not {}", kind_name(item.kind)));
                continue;
            }
            Concept& c = item.value;
            c.label = required_text(item.label, c.label, "label", at);
            if (!c.label.empty()) at = Location::called(&where, "concept", c.label);
            if (const NumberField& w = item.weight; w.kind != Kind::absent) {
                if (!is_number(w.kind)) {
                    problem(at, fmt::format("field 'weight' must be a number, not {}", kind_name(w.kind)));
                } else if (!(w.value > 0.0)) {
                    problem(at, "field 'weight' must be greater than 0");
                } else {
                    c.weight = w.value;
                }
            }
            if (item.any == Kind::absent) {
                problem(at, "missing field 'any' (the phrasings that count as saying it)");
            } else if (is_array(item.any, "any", at)) {
                if (item.any_count == 0) problem(at, "field 'any' is empty: a concept needs at least one phrasing");
                for (std::size_t index : item.bad_phrasings)
                    problem(at, fmt::format("field 'any' item {} must be a non-empty string", index));
            }
            if (item.avoids != Kind::absent) {
                if (item.avoids != Kind::boolean) {
                    problem(at, fmt::format("field 'avoids' must be true or false, not {}", kind_name(item.avoids)));
                } else {
                    c.avoids = item.avoids_value;
                }
            }
            c.cues = cues(item, at);
            if (item.tip != Kind::absent) {
                c.tip = required_text(item.tip, c.tip, "tip", at);
                if (c.tip.size() > Concept::kMaxTipLength)
                    problem(at, fmt::format("field 'tip' is {} characters; keep it to {}", c.tip.size(),
                                            Concept::kMaxTipLength));
            }
            out.push_back(std::move(c));
        }
        // Coverage is a share of the total weight, which must itself be a number.
        double total = 0.0;
        for (const Concept& c : out) total += c.weight;
        if (!std::isfinite(total)) problem(where, "the concepts' weights add up to more than a number can hold");
        return out;
    }

    std::vector<Cue> cues(ConceptDraft& concept_draft, const Location& where) {
        std::vector<Cue> out;
        if (!is_array(concept_draft.cues, "cues", where)) return out;
        std::size_t number = 0;
        for (CueDraft& item : concept_draft.cue_drafts) {
            const Location at = Location::numbered(&where, "cue", ++number);
            if (item.kind != Kind::object) {
                problem(at, fmt::format("must be an object with 'sets', not {}", kind_name(item.kind)));
                continue;
            }
            if (item.sets == Kind::absent) {
                problem(at, "missing field 'sets' (lists of words that say the concept together)");
                continue;
            }
            if (!is_array(item.sets, "sets", at)) continue;
            Cue& cue = item.value;
            if (item.set_count == 0) problem(at, "field 'sets' is empty");
            for (const CueDraft::SetProblem& set : item.set_problems) {
                if (set.unusable) {
                    problem(at, fmt::format("field 'sets' item {} must be a non-empty array of words", set.set_number));
                } else {
                    problem(at, fmt::format("field 'sets' item {} holds something other than non-empty text",
                                            set.set_number));
                }
            }
            std::size_t entries = 0;
            for (const auto& set : cue.sets) entries += set.size();
            if (const NumberField& n = item.at_least; n.kind != Kind::absent) {
                if (n.kind != Kind::integer || n.whole < static_cast<long long>(cue.sets.size()) ||
                    n.whole > static_cast<long long>(entries)) {
                    problem(at, fmt::format("field 'at_least' must be a whole number from {} (one per set) to {} "
                                            "(every entry)",
                                            cue.sets.size(), entries));
                } else {
                    cue.at_least = static_cast<std::size_t>(n.whole);
                }
            }
            if (item.set_count == 1 && cue.at_least < 2 && !cue.sets.empty())
                problem(at, "a cue with one set needs 'at_least' of 2 or more; a single phrasing belongs in 'any'");
            if (const NumberField& w = item.within; w.kind != Kind::absent) {
                if (w.kind != Kind::integer || w.whole < 2 || w.whole > static_cast<long long>(Cue::kMaxWithin)) {
                    problem(at, fmt::format("field 'within' must be a whole number of words from 2 to {}",
                                            Cue::kMaxWithin));
                } else {
                    cue.within = static_cast<std::size_t>(w.whole);
                }
            }
            out.push_back(std::move(cue));
        }
        return out;
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
        if (!any_tip && !any_example) return;
        for (const Question& q : questions) {
            const Location where = Location::called(nullptr, "question", q.id);
            if (any_example && q.example.empty())
                problem(where, "missing field 'example' (other questions have an example answer)");
            if (!any_tip) continue;
            for (const Concept& c : q.concepts)
                if (c.tip.empty() && !c.label.empty())
                    problem(Location::called(&where, "concept", c.label),
                            "missing field 'tip' (other concepts have a tip)");
        }
    }

    // Tier order is the bank's; top-level questions join their tier after the nested ones.
    static std::vector<Question> in_tier_order(std::vector<Question> questions, const std::vector<std::size_t>& tier_of,
                                               std::size_t tier_count) {
        if (std::is_sorted(tier_of.begin(), tier_of.end())) return questions;
        std::vector<std::size_t> start(tier_count + 1, 0);
        for (std::size_t t : tier_of) ++start[t + 1];
        for (std::size_t t = 0; t < tier_count; ++t) start[t + 1] += start[t];
        std::vector<Question> ordered(questions.size());
        for (std::size_t i = 0; i < questions.size(); ++i) ordered[start[tier_of[i]]++] = std::move(questions[i]);
        return ordered;
    }

    std::string source_;
    BankProblems problems_;
    IdTable seen_ids_;  // lowercase: ids must be unique ignoring case
};

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

}  // namespace

Result<QuestionBank, BankProblems> parse_question_bank(std::string_view json_text, std::string_view source) {
    // nlohmann's reader takes a NUL byte for the end of the text, which would let anything after
    // it through unread.
    if (const std::size_t nul = json_text.find('\0'); nul != std::string_view::npos) {
        auto [line, column] = line_and_column(json_text, nul);
        return BankProblems{{fmt::format("{}:{}:{}: a NUL byte; a bank is text", source, line, column)}};
    }
    BankDraft bank;
    BankStream stream(bank);
    if (!nlohmann::json::sax_parse(json_text.begin(), json_text.end(), &stream) || stream.error) {
        // nlohmann's byte offset points one past the offending character.
        const std::size_t byte = stream.error_byte;
        auto [line, column] = line_and_column(json_text, byte == 0 ? 0 : byte - 1);
        return BankProblems{{fmt::format("{}:{}:{}: {}", source, line, column,
                                         parse_error_detail(stream.error.value_or("cannot be read as JSON")))}};
    }
    return BankChecker(source).check(bank);
}

}  // namespace ehrprep
