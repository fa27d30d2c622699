#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/platform.hpp"

namespace ehrprep::test {

// An attempt at question `id` (its tier read from the id, "tier-N") in session "S".
Attempt make_attempt(const std::string& id, Timestamp started_at, double coverage,
                     Outcome outcome = Outcome::Answered, std::string answer = "an answer");

// A clock that only moves when told to.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp now = Timestamp{std::chrono::seconds{1'780'000'000}}) : wall_(now) {}
    std::chrono::system_clock::time_point now() override { return wall_; }
    std::chrono::steady_clock::time_point monotonic() override { return steady_; }
    std::chrono::seconds utc_offset(std::chrono::system_clock::time_point) override { return {}; }
    void advance(std::chrono::duration<double> by) {
        auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(by);
        steady_ += step;
        wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(step);
    }

private:
    std::chrono::system_clock::time_point wall_;
    std::chrono::steady_clock::time_point steady_{};
};

// One scripted turn: how the answer ends, its text, and how long the person takes. A turn
// that takes longer than the deadline allows ends as a timeout at the deadline, keeping its
// text, as a real source would.
struct ScriptedTurn {
    AnswerEnd end = AnswerEnd::Submitted;
    std::string text;
    double seconds = 10.0;
};

class ScriptedAnswerSource final : public AnswerSource {
public:
    ScriptedAnswerSource(ManualClock& clock, std::vector<ScriptedTurn> turns)
        : clock_(clock), turns_(std::move(turns)) {}

    AnswerInput read_answer(const AnswerRequest& request) override;
    // The next scripted choice, or going on when the script has none left.
    FeedbackChoice after_feedback(const FeedbackOffer& offer) override;

    std::vector<AnswerRequest> requests;  // what the session asked for, in order
    std::vector<FeedbackOffer> offers;    // what the session offered after each feedback
    std::function<void(std::size_t turn)> before_turn;  // to observe the session between turns
    std::vector<FeedbackChoice> choices;  // consumed in order

private:
    ManualClock& clock_;
    std::vector<ScriptedTurn> turns_;
    std::size_t next_ = 0;
    std::size_t next_choice_ = 0;
};

}  // namespace ehrprep::test
