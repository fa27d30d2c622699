#include "support/quiz_fakes.hpp"

namespace ehrprep::test {

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

}  // namespace ehrprep::test
