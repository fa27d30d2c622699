#include "ehrprep/answer_log.hpp"

namespace ehrprep {

AnswerLogBuilder::AnswerLogBuilder(ProgressFilter filter)
    : filter_(std::move(filter)), selection_(filter_.last_sessions) {}

void AnswerLogBuilder::add(const Attempt& attempt) {
    if (!filter_.admits(attempt)) return;
    const std::uint32_t session = selection_.add(attempt);
    if (session >= attempts_.size()) attempts_.resize(session + 1);
    attempts_[session].push_back(attempt);
}

std::vector<SessionAnswers> AnswerLogBuilder::finish() && {
    std::vector<SessionAnswers> out;
    const std::vector<SessionSelection::Chosen> chosen = selection_.chosen();
    out.reserve(chosen.size());
    for (auto it = chosen.rbegin(); it != chosen.rend(); ++it)
        out.push_back(SessionAnswers{std::string(it->id), it->started_at, std::move(attempts_[it->number])});
    return out;
}

}  // namespace ehrprep
