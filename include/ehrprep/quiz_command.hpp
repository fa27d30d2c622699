#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/app_context.hpp"

namespace ehrprep {

struct QuizOptions {
    std::vector<std::string> tiers;
    std::optional<std::size_t> count;
    std::vector<std::string> ids;
    std::string order = "random";  // random | bank
    std::optional<std::uint64_t> seed;
    std::optional<int> time_limit_seconds;
    bool no_timer = false;
    std::optional<double> session_minutes;
    bool review = false;               // due questions first, then new ones
    std::size_t new_questions = 3;     // with --review: how many never-practised ones to add
};

// `ehrprep quiz`: a timed practice session whose attempts are saved to the history as they
// are made. With `review`, the questions come from the spaced-review schedule: those due,
// least likely to be recalled first and at most --max-reviews of them, then up to
// `new_questions` never practised.
// Returns 130 when interrupted, 1 when the history could not be written.
int run_quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers);

// `ehrprep` with no command on a terminal. With a history it greets ("3 questions due for
// review · streak 4 days · last session 67%") and, when reviews are due, starts the review mix
// (at most --max-reviews due questions, then a few new ones); otherwise, and on first use, a
// practice quiz with the defaults.
int run_home(AppContext& ctx, const GlobalOptions& global, AnswerSource& answers);

}  // namespace ehrprep
