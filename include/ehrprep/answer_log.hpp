#pragma once

#include <string>
#include <vector>

#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"

namespace ehrprep {

// One session's answers as a report shows them to a mentor: every attempt the filter admits,
// in the order they were given.
struct SessionAnswers {
    std::string session_id;
    Timestamp started_at{};
    std::vector<Attempt> attempts;
};

// Collects the answers of the sessions a filter selects (its tiers and date, then its last
// sessions), for `report --with-answers`. Answers are the bulk of a history, so only the
// admitted ones are kept.
class AnswerLogBuilder {
public:
    explicit AnswerLogBuilder(ProgressFilter filter);

    void add(const Attempt& attempt);

    // Newest session first, as the reports list sessions.
    [[nodiscard]] std::vector<SessionAnswers> finish() &&;

private:
    ProgressFilter filter_;
    SessionSelection selection_;
    std::vector<std::vector<Attempt>> attempts_;  // by session number
};

}  // namespace ehrprep
