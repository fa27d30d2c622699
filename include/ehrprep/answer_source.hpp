#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "ehrprep/fsrs.hpp"

namespace ehrprep {

// What the quiz needs to collect one answer.
struct AnswerRequest {
    std::size_t position = 1;  // 3 of 5
    std::size_t total = 1;
    // When the answer is due: the question's limit or the session's end, whichever is sooner;
    // none with --no-timer and no session limit.
    std::optional<std::chrono::steady_clock::time_point> deadline;
};

enum class AnswerEnd {
    Submitted,    // a blank line typed (not pasted), or Ctrl-D after some text
    Skipped,      // ":skip" on a line of its own
    Quit,         // ":quit" on a line of its own
    TimedOut,     // the deadline passed; `text` holds everything typed, the unfinished line too
    EndOfInput,   // input closed before anything was typed for this question
    Interrupted,  // Ctrl-C, SIGTERM or a closed terminal: `text`, what was typed, is not saved
};

// The most of an answer that is kept: far beyond anything typed in an interview, small enough
// that a runaway paste or pipe cannot fill memory or the history.
inline constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

struct AnswerInput {
    AnswerEnd end = AnswerEnd::Submitted;
    std::string text;
    bool truncated = false;  // more than kMaxAnswerBytes arrived: `text` holds the first part
};

// What can be done once the feedback on an answer is shown.
struct FeedbackOffer {
    bool retry = true;     // answer the same question again now
    bool example = false;  // show the bank's example answer
    // In a review session, the rating the answer will be scheduled with; a digit changes it.
    std::optional<Rating> rating;
    bool last = false;     // no question follows: going on shows the summary
};

enum class FeedbackChoice { Continue, Retry, ShowExample, RateAgain, RateHard, RateGood, RateEasy, Interrupted };

// The rating a Rate choice stands for; none for the other choices.
inline std::optional<Rating> chosen_rating(FeedbackChoice choice) {
    switch (choice) {
        case FeedbackChoice::RateAgain: return Rating::Again;
        case FeedbackChoice::RateHard: return Rating::Hard;
        case FeedbackChoice::RateGood: return Rating::Good;
        case FeedbackChoice::RateEasy: return Rating::Easy;
        default: return std::nullopt;
    }
}

// Where answers come from: the terminal with its live countdown, a pipe, or a script in
// tests. Implementations own their device and leave it as they found it.
class AnswerSource {
public:
    virtual ~AnswerSource() = default;
    virtual AnswerInput read_answer(const AnswerRequest& request) = 0;
    // After the feedback: what the person wants next, one key on a terminal ("r" retry, "e"
    // example, "1"-"4" a rating, anything else goes on). A pipe always goes on.
    virtual FeedbackChoice after_feedback(const FeedbackOffer& offer) = 0;
};

}  // namespace ehrprep
