#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

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

struct AnswerInput {
    AnswerEnd end = AnswerEnd::Submitted;
    std::string text;
};

// Where answers come from: the terminal with its live countdown, a pipe, or a script in
// tests. Implementations own their device and leave it as they found it.
class AnswerSource {
public:
    virtual ~AnswerSource() = default;
    virtual AnswerInput read_answer(const AnswerRequest& request) = 0;
    // Between feedback and the next question. Returns false when the user interrupted.
    virtual bool wait_to_continue() = 0;
};

}  // namespace ehrprep
