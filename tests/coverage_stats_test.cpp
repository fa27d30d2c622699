#include "ehrprep/coverage_stats.hpp"

#include <catch2/catch.hpp>

using namespace ehrprep;

namespace {

Attempt attempt(Outcome outcome, double coverage) {
    Attempt a;
    a.outcome = outcome;
    a.coverage = coverage;
    return a;
}

}  // namespace

TEST_CASE("answered and timed-out attempts are averaged, skips and quits only counted", "[coverage]") {
    auto with = [](Outcome outcome, bool retry = false) {
        Attempt a;
        a.outcome = outcome;
        a.retry = retry;
        return a;
    };
    CHECK(is_scored(with(Outcome::Answered)));
    CHECK(is_scored(with(Outcome::TimedOut)));
    CHECK_FALSE(is_scored(with(Outcome::Skipped)));
    CHECK_FALSE(is_scored(with(Outcome::Quit)));
    CHECK_FALSE(is_scored(with(Outcome::Answered, true)));  // a retry follows the hint

    CoverageStats stats;
    stats.add(attempt(Outcome::Answered, 0.8));
    stats.add(attempt(Outcome::Skipped, 0.0));
    stats.add(attempt(Outcome::TimedOut, 0.5));
    stats.add(attempt(Outcome::Quit, 0.0));
    CHECK(stats.attempts == 4);
    CHECK(stats.scored == 2);
    CHECK(*stats.mean() == Approx(0.65));
    CHECK(*stats.best() == Approx(0.8));

    CoverageStats more;
    more.add(attempt(Outcome::Answered, 0.95));
    stats.merge(more);
    CHECK(stats.attempts == 5);
    CHECK(*stats.mean() == Approx(2.25 / 3));
    CHECK(*stats.best() == Approx(0.95));
}

TEST_CASE("with nothing scored there is no mean and no best, not 0%", "[coverage]") {
    CoverageStats stats;
    CHECK_FALSE(stats.mean());
    stats.add(attempt(Outcome::Skipped, 0.0));
    stats.add(attempt(Outcome::Quit, 0.0));
    CHECK(stats.attempts == 2);
    CHECK_FALSE(stats.mean());
    CHECK_FALSE(stats.best());
    CHECK(percent(stats.mean()) == "-");
}

TEST_CASE("a coverage is written as a whole percentage, halves rounded up", "[coverage]") {
    CHECK(percent(0.0) == "0%");
    CHECK(percent(0.425) == "43%");
    CHECK(percent(0.2857) == "29%");
    CHECK(percent(1.0) == "100%");
    CHECK(percent(std::nullopt) == "-");
}
