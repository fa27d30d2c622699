#include "support/quiz_fakes.hpp"

namespace ehrprep::test {

Attempt make_attempt(const std::string& id, Timestamp started_at, double coverage, Outcome outcome,
                     std::string answer) {
    Attempt a;
    a.session_id = std::string("S");
    a.question_id = id;
    a.tier_id = id.substr(0, id.rfind('-'));
    a.started_at = started_at;
    a.coverage = coverage;
    a.outcome = outcome;
    a.answer = std::move(answer);
    return a;
}

AnswerInput ScriptedAnswerSource::read_answer(const AnswerRequest& request) {
    requests.push_back(request);
    if (before_turn) before_turn(next_);
    if (next_ >= turns_.size()) return {AnswerEnd::EndOfInput, {}};
    const ScriptedTurn& turn = turns_[next_++];
    const auto wanted = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(turn.seconds));
    if (request.deadline && clock_.monotonic() + wanted >= *request.deadline) {
        clock_.advance(*request.deadline - clock_.monotonic());
        return {AnswerEnd::TimedOut, turn.text};
    }
    clock_.advance(wanted);
    return {turn.end, turn.text};
}

FeedbackChoice ScriptedAnswerSource::after_feedback(const FeedbackOffer& offer) {
    offers.push_back(offer);
    return next_choice_ < choices.size() ? choices[next_choice_++] : FeedbackChoice::Continue;
}

}  // namespace ehrprep::test
