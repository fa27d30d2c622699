#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/fsrs.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

// The last scored attempt at a question before this session.
struct PreviousAttempt {
    Timestamp at{};
    double coverage = 0.0;
    std::vector<std::string> covered;
};

struct QuizSettings {
    std::vector<std::size_t> questions;            // bank indices, in asking order
    std::optional<int> time_limit_seconds;         // overrides the tiers' defaults
    bool timer = true;                             // false: no per-question limit
    std::optional<std::chrono::seconds> session_limit;
    std::string session_id;
    // Spaced review: each answer's rating is shown after its feedback, and can be changed
    // before it is saved.
    std::optional<RatingThresholds> review;
    // By question id: the first answer to a question in this session is compared with it.
    std::map<std::string, PreviousAttempt, std::less<>> previous;
};

struct QuizOutcome {
    std::vector<Attempt> attempts;  // every attempt recorded, in order
    bool interrupted = false;       // Ctrl-C, SIGTERM or a closed terminal
    bool history_failed = false;    // an attempt could not be saved
};

// How a session's output is laid out.
struct QuizLayout {
    Style style{false};
    std::size_t width = 80;
    bool unicode = true;
};

// Runs a practice session: asks each question, collects the answer from `answers`, scores
// it, saves the attempt to `history`, shows the feedback (compared with the last attempt at
// the question), then offers a retry, the example answer and, in a review, a change of rating,
// and ends with a summary. An attempt is saved before its feedback is shown, except in a review,
// where it is saved once its rating is settled. Time comes only from `clock` and input only
// from `answers`, so tests can script a whole session.
class QuizSession {
public:
    QuizSession(const QuestionBank& bank, Scorer& scorer, HistoryStore& history, Clock& clock,
                AnswerSource& answers, std::ostream& out, std::ostream& err, QuizLayout layout);

    QuizOutcome run(const QuizSettings& settings);

private:
    // `allowed_seconds`: the time the question really has, less than its limit when
    // `session_limited` (the session ends first).
    void ask_header(const Question& question, std::size_t position, std::size_t total,
                    std::optional<double> allowed_seconds, bool session_limited, bool retry);
    void show_skipped(const Question& question);
    bool save(Attempt& attempt, QuizOutcome& outcome);
    Attempt record(const Question& question, const QuizSettings& settings, Timestamp started_at,
                   double seconds, Outcome outcome, const std::string& text, const CoverageResult* coverage);

    const QuestionBank& bank_;
    Scorer& scorer_;
    HistoryStore& history_;
    Clock& clock_;
    AnswerSource& answers_;
    std::ostream& out_;
    std::ostream& err_;
    QuizLayout layout_;
};

// The end-of-session table: each question with its tier, coverage, time and whether it
// timed out, the average per tier, and the session's overall coverage.
std::string render_session_summary(const QuestionBank& bank, const std::vector<Attempt>& attempts,
                                   const QuizLayout& layout);

// "1:05" for 65 seconds.
std::string format_clock(double seconds);

// A session id that sorts by start time: "20261130T091500Z-3f2a".
std::string make_session_id(Timestamp started_at, std::uint64_t random);

}  // namespace ehrprep
