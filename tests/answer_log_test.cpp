#include "ehrprep/answer_log.hpp"

#include <catch2/catch.hpp>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::fixed_history;

namespace {

std::vector<SessionAnswers> log_of(ProgressFilter filter) {
    AnswerLogBuilder builder(std::move(filter));
    for (const Attempt& attempt : fixed_history()) builder.add(attempt);
    return std::move(builder).finish();
}

std::vector<std::string> session_ids(const std::vector<SessionAnswers>& log) {
    std::vector<std::string> ids;
    for (const SessionAnswers& s : log) ids.push_back(s.session_id);
    return ids;
}

}  // namespace

TEST_CASE("the answers of a report come newest session first with each session's answers in the order given",
          "[answer_log]") {
    const auto log = log_of({});
    CHECK(session_ids(log) == std::vector<std::string>{"s5", "s4", "s3", "s2", "s1"});
    REQUIRE(log.back().attempts.size() == 3);
    CHECK(log.back().attempts[0].question_id == "basics-1");
    CHECK(log.back().attempts[0].answer == "Answer to basics-1");
    CHECK(log.back().attempts[2].outcome == Outcome::Skipped);
    CHECK(log.back().started_at == parse_utc("2026-03-01T09:00:00Z").value());
}

TEST_CASE("the answers of a report keep to its tier and its last sessions", "[answer_log]") {
    ProgressFilter filter;
    filter.tiers = {"deep"};
    filter.last_sessions = 2;
    const auto log = log_of(filter);
    // s5 and s4 are the last two sessions with a deep question; s4's only one was quit.
    CHECK(session_ids(log) == std::vector<std::string>{"s5", "s4"});
    for (const SessionAnswers& s : log)
        for (const Attempt& a : s.attempts) CHECK(a.tier_id == "deep");
}

TEST_CASE("the answers of a report start at its since date", "[answer_log]") {
    ProgressFilter filter;
    filter.since = parse_date("2026-03-08").value();
    CHECK(session_ids(log_of(filter)) == std::vector<std::string>{"s5", "s4", "s3"});
}
