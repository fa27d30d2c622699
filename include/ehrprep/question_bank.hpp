#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/result.hpp"

namespace ehrprep {

// A way to say a concept in descriptive words rather than a fixed phrase: within one sentence
// and at most `within` words from first to last, every set contributes one of its entries and
// at least `at_least` distinct entries appear in all. {"release", "week", "checkpoint"} with
// at_least 2 says phased delivery; {"dose", "allergy"} with {"first", "priority"} says safety first.
struct Cue {
    std::vector<std::vector<std::string>> sets;
    std::size_t at_least = 0;  // 0: one entry per set
    std::size_t within = 12;   // words from the first entry to the last, small words not counted

    static constexpr std::size_t kDefaultWithin = 12;
    static constexpr std::size_t kMaxWithin = 40;
};

// One point of a hint, and the ways a candidate may say it.
struct Concept {
    std::string label;
    double weight = 1.0;
    std::vector<std::string> phrasings;
    std::vector<Cue> cues;
    // The point is about not doing something ("avoid stigmatizing labels"): its phrasings name
    // what is avoided, so a negated mention says it; only a dismissal argues against it.
    bool avoids = false;
    // What the point means and how a strong candidate says it; empty when the bank has none.
    std::string tip;

    static constexpr std::size_t kMaxTipLength = 240;  // characters
};

struct Question {
    std::string id;
    std::string tier_id;
    std::string text;
    std::string hint;
    std::vector<Concept> concepts;
    std::string example;  // a strong answer in a candidate's words; empty when the bank has none
};

struct Tier {
    std::string id;
    std::string name;
    int time_limit_seconds = 180;
};

// Every problem found in a bank, each a complete line for the user.
struct BankProblems {
    std::vector<std::string> lines;
};

class QuestionBank {
public:
    static constexpr int kSchemaVersion = 1;

    QuestionBank(std::string title, std::vector<Tier> tiers, std::vector<Question> questions);

    [[nodiscard]] const std::string& title() const { return title_; }
    [[nodiscard]] const std::vector<Tier>& tiers() const { return tiers_; }
    // Questions in bank order: tier by tier, each tier in the order it was written.
    [[nodiscard]] const std::vector<Question>& questions() const { return questions_; }

    // By id ignoring case, as a user types it.
    [[nodiscard]] const Question* find_question(std::string_view id) const;
    [[nodiscard]] std::optional<std::size_t> question_index(std::string_view id) const;
    // By id exactly as written, as the history records it.
    [[nodiscard]] std::optional<std::size_t> exact_question_index(std::string_view id) const;
    [[nodiscard]] const Tier* find_tier(std::string_view id) const;
    [[nodiscard]] std::size_t count_in_tier(std::string_view tier_id) const;

    // Accepts a tier's id or display name in any case, or the last part of a hyphenated id
    // ("workflow" for "ai-workflow") when that part names one tier only.
    // An unknown name is an error that suggests the tier it is most likely a slip for.
    [[nodiscard]] Result<std::string> resolve_tier(std::string_view name) const;

    // The error for an id the bank does not have: "no question with id 'begginer-3' (did you
    // mean beginner-3?)" when it is most likely a slip for one, else pointing to the list.
    [[nodiscard]] Error no_such_question(std::string_view id) const;

private:
    template <typename Same>
    [[nodiscard]] std::optional<std::size_t> find_index(std::string_view id, Same same) const;

    std::string title_;
    std::vector<Tier> tiers_;
    std::vector<Question> questions_;
    // Open addressing over questions_ by id ignoring case, so that looking a question up takes
    // the same time in a bank of 50 as in one of 100,000.
    std::vector<std::uint32_t> id_slots_;
};

// Ids and tier names compare ignoring case: the bank checks them for duplicates this way and
// the command line looks them up this way.
std::string lowercase_id(std::string_view id);

// Whether `tier_id` is among the tiers a --tier filter chose; choosing none means all.
bool tier_selected(const std::vector<std::string>& selected, std::string_view tier_id);

// Parses and checks a bank. `source` names the file in messages ("data/questions.json").
// Malformed JSON yields one "SOURCE:LINE:COLUMN: message" line; a well-formed bank with schema
// problems yields one line per problem, naming the tier or question and the field.
Result<QuestionBank, BankProblems> parse_question_bank(std::string_view json_text,
                                                       std::string_view source);

}  // namespace ehrprep
