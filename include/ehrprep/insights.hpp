#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// How an answer was said, apart from what it covered: what an interviewer notices first.
struct AnswerInsights {
    struct Count {
        std::string text;  // the filler or hedge ("kind of"), or a repeated word as typed
        std::size_t count = 0;
    };
    enum class StarPart { Situation, Task, Action, Result };
    struct StarEvidence {
        StarPart part = StarPart::Situation;
        std::string sentence;  // the sentence that shows it, as typed; empty when missing
        [[nodiscard]] bool present() const { return !sentence.empty(); }
    };
    struct Star {
        std::array<StarEvidence, 4> parts;  // Situation, Task, Action, Result
        std::vector<std::string> suggestions;  // one line per missing part, and on "we" without "I"
    };

    std::size_t words = 0;
    std::optional<double> seconds;        // time taken, in a quiz
    std::optional<double> limit_seconds;  // the question's time limit, when there was one
    std::vector<Count> fillers;   // fillers and hedges, most used first
    std::vector<Count> repeated;  // words used unusually often, most used first
    std::optional<Star> star;     // for story questions (Behavioral) only

    // Words a minute, when the time taken is known.
    [[nodiscard]] std::optional<double> words_per_minute() const;
};

std::string_view star_part_name(AnswerInsights::StarPart part);  // "Situation", "Task", ...

struct InsightRequest {
    bool story = false;  // check Situation, Task, Action, Result
    std::optional<double> seconds;
    std::optional<double> limit_seconds;
};

// Counts fillers ("basically", "um", "you know", "like" between commas) and hedges ("I
// guess", "kind of", "maybe"), finds content words repeated far more than an answer needs,
// and for a story checks which of Situation, Task, Action and Result it has, quoting the
// sentence that shows each.
AnswerInsights analyze_insights(std::string_view answer, const InsightRequest& request);

// Whether a tier's questions are stories to be told in STAR form: the built-in Behavioral tier,
// or any tier whose id starts with "behavio".
bool is_story_tier(std::string_view tier_id);

}  // namespace ehrprep
