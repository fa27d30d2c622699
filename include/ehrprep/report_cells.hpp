#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"

namespace ehrprep {

// What the views of a ProgressReport (stats, Markdown, JSON, HTML) show alike: how a number is
// written in a cell, and which questions, concepts and sessions make the cut.

using OrderedJson = nlohmann::ordered_json;

inline constexpr std::size_t kWeakestInReports = 10;
inline constexpr std::size_t kMissedInReports = 10;
inline constexpr std::size_t kSessionsInReports = 30;

// percent() comes from coverage_stats.hpp.

// Percentage points, signed, so "+12" reads as an improvement of twelve points; "-" for none.
std::string points(std::optional<double> change);

// A fraction as the JSON report writes it: four places, null for no value.
OrderedJson json_fraction(std::optional<double> value);

std::string join(const std::vector<std::string>& items, std::string_view separator);

// "8 answered, 1 timed out, 1 skipped, 1 quit", leaving out the outcomes that did not happen.
std::string outcome_summary(const OutcomeCounts& outcomes);

// "3 days (longest 3) · last practised 2026-03-10 (today)", or "no practice yet".
std::string streak_summary(const ProgressReport& report);

// "2/4" questions of a tier practised, or "2" when the bank no longer has the tier.
std::string practised(const TierProgress& tier);

// "tier beginner, since 2026-01-01, last 3 sessions", or "none".
std::string describe_filter(const ProgressFilter& filter);

// What an attempt came to, as the heading over its answer says it: "67% · answered in 1:35",
// "skipped", and " · retry" for a second try straight after the feedback.
std::string attempt_summary(const Attempt& attempt);

// The question with this id among those the report covers, or nullptr.
const QuestionProgress* find_question(const ProgressReport& report, std::string_view id);

// The k-th weakest question.
const QuestionProgress& weakest_at(const ProgressReport& report, std::size_t k);

// A tier's display name, or its id when the report does not have it.
std::string tier_name(const ProgressReport& report, std::string_view tier_id);

// The chance of recalling a question now as a percentage, or "-" until it says anything (see
// recall_worth_showing()).
std::string recall_text(const QuestionProgress& question, const LocalTime& local);

// When a question is due for review, as people say it: "Tue 24 Nov (6 days ago)", "-" for none.
std::string review_due_text(const QuestionProgress& question, const LocalTime& local);

// The per-question columns every format shows, in order. A new per-question field (a review
// due date, a recall probability) is one entry here plus its member in QuestionProgress.
// People read times in their own time zone and words; the JSON keeps UTC.
struct QuestionField {
    std::string_view key;     // JSON
    std::string_view header;  // Markdown and HTML
    bool numeric;             // right-aligned in tables
    std::string (*text)(const QuestionProgress&, const LocalTime&);
    OrderedJson (*json)(const QuestionProgress&);
};

const std::vector<QuestionField>& question_fields();

}  // namespace ehrprep
