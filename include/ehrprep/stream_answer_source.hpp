#pragma once

#include <string>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/signal_watch.hpp"

namespace ehrprep {

// Answers from a pipe or file: blank-line separated, ":skip" and ":quit" on lines of their
// own. Nothing waits for a key, and time limits still apply: a deadline submits what has
// arrived so far, the unfinished line included.
class StreamAnswerSource final : public AnswerSource {
public:
    StreamAnswerSource(int fd, Clock& clock, SignalWatch& signals) : fd_(fd), clock_(clock), signals_(signals) {}

    AnswerInput read_answer(const AnswerRequest& request) override;
    FeedbackChoice after_feedback(const FeedbackOffer&) override { return FeedbackChoice::Continue; }

private:
    enum class Fill { Data, EndOfInput, TimedOut, Interrupted };
    Fill fill(const AnswerRequest& request);

    int fd_;
    Clock& clock_;
    SignalWatch& signals_;
    std::string pending_;  // read but not yet consumed: the next answers' lines
    bool closed_ = false;
};

}  // namespace ehrprep
