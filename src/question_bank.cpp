// The bank once read. Reading and checking a bank file is in bank_reader.cpp.
#include "ehrprep/question_bank.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "ehrprep/edit_distance.hpp"

namespace ehrprep {
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
    const std::string wanted = lowercase_id(name);
    for (const Tier& tier : tiers_)
        if (lowercase_id(tier.id) == wanted || lowercase_id(tier.name) == wanted) return tier.id;
    const Tier* by_suffix = nullptr;
    int matches = 0;
    for (const Tier& tier : tiers_) {
        std::string id = lowercase_id(tier.id);
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

std::string lowercase_id(std::string_view id) {
    std::string out(id);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool tier_selected(const std::vector<std::string>& selected, std::string_view tier_id) {
    return selected.empty() || std::find(selected.begin(), selected.end(), tier_id) != selected.end();
}

}  // namespace ehrprep
