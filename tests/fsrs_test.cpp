#include "ehrprep/fsrs.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using ehrprep::CardSchedule;
using ehrprep::FsrsParameters;
using ehrprep::FsrsScheduler;
using ehrprep::MemoryState;
using ehrprep::Rating;
using ehrprep::RatingThresholds;
using ehrprep::Review;
using ehrprep::Timestamp;

// Expected values were computed by an independent Python transcription of the published
// FSRS-6 formulas (fsrs4anki wiki "The Algorithm", py-fsrs 6.x), not by this code.

namespace {

Approx near(double expected) { return Approx(expected).margin(1e-6); }

constexpr std::chrono::days kDay{1};

}  // namespace

TEST_CASE("FSRS-6 default parameters", "[fsrs]") {
    const FsrsParameters p;
    CHECK(p.w[0] == 0.212);
    CHECK(p.w[3] == 8.2956);
    CHECK(p.w[17] == 0.5425);
    CHECK(p.w[20] == 0.1542);
    CHECK(p.desired_retention == 0.9);
    CHECK(p.maximum_interval_days == 36500);
}

TEST_CASE("initial stability and difficulty for each rating", "[fsrs]") {
    const FsrsScheduler fsrs;
    const MemoryState again = fsrs.initial_state(Rating::Again);
    const MemoryState hard = fsrs.initial_state(Rating::Hard);
    const MemoryState good = fsrs.initial_state(Rating::Good);
    const MemoryState easy = fsrs.initial_state(Rating::Easy);

    CHECK(again.stability == near(0.212));
    CHECK(hard.stability == near(1.2931));
    CHECK(good.stability == near(2.3065));
    CHECK(easy.stability == near(8.2956));

    CHECK(again.difficulty == near(6.4133));
    CHECK(hard.difficulty == near(5.1121707056));
    CHECK(good.difficulty == near(2.1181039705));
    // Raw D0(Easy) is -4.7716307032 with the defaults; it must clamp to the floor.
    CHECK(easy.difficulty == near(1.0));
}

TEST_CASE("initial difficulty clamps at the ceiling", "[fsrs]") {
    FsrsParameters p;
    p.w[4] = 12.0;  // D0(Again) = w4 exactly, so 12 before clamping
    const FsrsScheduler fsrs(p);
    CHECK(fsrs.initial_state(Rating::Again).difficulty == near(10.0));
}

TEST_CASE("difficulty update: linear damping and mean reversion", "[fsrs]") {
    const FsrsScheduler fsrs;
    // Long-term review from D = 5 (stability/elapsed do not affect difficulty).
    const MemoryState s{3.0, 5.0};
    CHECK(fsrs.next_state(s, 10.0, Rating::Again).difficulty == near(8.3417623693));
    CHECK(fsrs.next_state(s, 10.0, Rating::Hard).difficulty == near(6.6659953693));
    CHECK(fsrs.next_state(s, 10.0, Rating::Good).difficulty == near(4.9902283693));
    CHECK(fsrs.next_state(s, 10.0, Rating::Easy).difficulty == near(3.3144613693));

    // Damping: near the ceiling an Again moves D only a little.
    CHECK(fsrs.next_state({3.0, 9.5}, 10.0, Rating::Again).difficulty == near(9.8208817693));
    // Clamped at the floor.
    CHECK(fsrs.next_state({3.0, 1.0}, 10.0, Rating::Easy).difficulty == near(1.0));
}

TEST_CASE("stability after successful recall", "[fsrs]") {
    const FsrsScheduler fsrs;
    const MemoryState s{3.0, 5.0};
    CHECK(fsrs.retrievability(10.0, 3.0) == near(0.7995068599));
    CHECK(fsrs.next_state(s, 10.0, Rating::Hard).stability == near(13.1428993353));
    CHECK(fsrs.next_state(s, 10.0, Rating::Good).stability == near(19.8654794401));
    CHECK(fsrs.next_state(s, 10.0, Rating::Easy).stability == near(34.5873564434));
}

TEST_CASE("stability after a lapse", "[fsrs]") {
    const FsrsScheduler fsrs;
    SECTION("long-term forget formula when below the cap") {
        CHECK(fsrs.retrievability(20.0, 10.0) == near(0.8458846451));
        CHECK(fsrs.next_state({10.0, 5.0}, 20.0, Rating::Again).stability ==
              near(1.5218558480));
    }
    SECTION("capped at S / e^(w17*w18) so forgetting never increases stability") {
        // Long-term formula gives 0.5198181397 here, more than the previous 0.5.
        const MemoryState after = fsrs.next_state({0.5, 1.0}, 1000.0, Rating::Again);
        CHECK(after.stability == near(0.4758639997));
        CHECK(after.stability < 0.5);
    }
}

TEST_CASE("same-day (short-term) stability", "[fsrs]") {
    const FsrsScheduler fsrs;
    SECTION("each rating from S = 3") {
        CHECK(fsrs.next_state({3.0, 5.0}, 0.0, Rating::Again).stability == near(0.9908417943));
        CHECK(fsrs.next_state({3.0, 5.0}, 0.0, Rating::Hard).stability == near(1.7045473644));
        // Raw factor is below 1 here; Good must not shrink stability.
        CHECK(fsrs.next_state({3.0, 5.0}, 0.0, Rating::Good).stability == near(3.0));
        CHECK(fsrs.next_state({3.0, 5.0}, 0.0, Rating::Easy).stability == near(5.0445053432));
    }
    SECTION("small stability grows on Good and Easy") {
        CHECK(fsrs.next_state({0.5, 5.0}, 0.0, Rating::Good).stability == near(0.5498762115));
        CHECK(fsrs.next_state({0.5, 5.0}, 0.0, Rating::Easy).stability == near(0.9459532819));
    }
    SECTION("large stability is floored at unchanged for Good") {
        CHECK(fsrs.next_state({100.0, 5.0}, 0.0, Rating::Good).stability == near(100.0));
    }
    SECTION("less than one whole day counts as same-day") {
        CHECK(fsrs.next_state({3.0, 5.0}, 0.9, Rating::Hard).stability == near(1.7045473644));
    }
    SECTION("difficulty still updates on a same-day review") {
        CHECK(fsrs.next_state({3.0, 5.0}, 0.0, Rating::Again).difficulty ==
              near(8.3417623693));
    }
}

TEST_CASE("retrievability", "[fsrs]") {
    const FsrsScheduler fsrs;
    CHECK(fsrs.retrievability(0.0, 3.0) == near(1.0));
    CHECK(fsrs.retrievability(7.3, 7.3) == near(0.9));
    CHECK(fsrs.retrievability(3.0, 3.0) == near(0.9));
    CHECK(fsrs.retrievability(10.0, 3.0) == near(0.7995068599));
}

TEST_CASE("next interval", "[fsrs]") {
    const FsrsScheduler fsrs;
    SECTION("retention 0.9 gives S rounded to whole days") {
        CHECK(fsrs.next_interval_days(3.7) == 4);
        CHECK(fsrs.next_interval_days(7.3) == 7);
        CHECK(fsrs.next_interval_days(2.4) == 2);
    }
    SECTION("at least one day") { CHECK(fsrs.next_interval_days(0.05) == 1); }
    SECTION("lower retention gives longer intervals") {
        FsrsParameters p;
        p.desired_retention = 0.8;
        const FsrsScheduler lax(p);
        CHECK(lax.next_interval_days(3.7) == 12);
        CHECK(lax.next_interval_days(7.3) == 24);
        CHECK(lax.next_interval_days(2.4) == 8);
    }
    SECTION("capped by the maximum interval") {
        CHECK(fsrs.next_interval_days(1e6) == 36500);
        FsrsParameters p;
        p.maximum_interval_days = 100;
        const FsrsScheduler capped(p);
        CHECK(capped.next_interval_days(1e6) == 100);
        CHECK(capped.next_interval_days(50.0) == 50);
    }
}

TEST_CASE("replay of a scripted review log", "[fsrs]") {
    const FsrsScheduler fsrs;
    const Timestamp t0{std::chrono::seconds{1700000000}};
    const std::vector<Review> log{{t0, Rating::Good},
                                  {t0 + 3 * kDay, Rating::Good},
                                  {t0 + 13 * kDay, Rating::Again},
                                  {t0 + 14 * kDay, Rating::Hard}};
    const auto result = ehrprep::replay(fsrs, log);
    REQUIRE(result.has_value());
    const CardSchedule& card = *result;
    CHECK(card.state.stability == near(2.8827094936));
    CHECK(card.state.difficulty == near(8.2540745198));
    CHECK(card.last_review == t0 + 14 * kDay);
    CHECK(card.due == Timestamp{std::chrono::seconds{1701468800}});  // last review + 3 days
    CHECK(card.reviews == 4);
    CHECK(card.lapses == 1);
}

TEST_CASE("replay: a first review rated Again is not a lapse, and a same-day review uses the short-term update", "[fsrs]") {
    const FsrsScheduler fsrs;
    const Timestamp t0{std::chrono::seconds{1700000000}};
    SECTION("single Again") {
        const std::vector<Review> log{{t0, Rating::Again}};
        const auto card = ehrprep::replay(fsrs, log);
        REQUIRE(card.has_value());
        CHECK(card->lapses == 0);
        CHECK(card->reviews == 1);
        CHECK(card->state.stability == near(0.212));
        CHECK(card->due == t0 + kDay);
    }
    SECTION("Good then Good two hours later") {
        const std::vector<Review> log{{t0, Rating::Good}, {t0 + std::chrono::hours{2}, Rating::Good}};
        const auto card = ehrprep::replay(fsrs, log);
        REQUIRE(card.has_value());
        CHECK(card->state.stability == near(2.3065));
        CHECK(card->state.difficulty == near(2.1112142358));
        CHECK(card->due == t0 + std::chrono::hours{2} + 2 * kDay);
    }
}

TEST_CASE("a review dated before the last one is a same-day review that keeps the last date", "[fsrs]") {
    const FsrsScheduler fsrs;
    const Timestamp t0{std::chrono::seconds{1700000000}};
    const CardSchedule first = ehrprep::review_card(fsrs, std::nullopt, {t0, Rating::Good});
    CHECK(first.reviews == 1);
    CHECK(first.due == t0 + 2 * kDay);
    const CardSchedule late = ehrprep::review_card(fsrs, first, {t0 - std::chrono::hours{1}, Rating::Good});
    const MemoryState same_day = fsrs.next_state(first.state, 0.0, Rating::Good);
    CHECK(late.state.stability == near(same_day.stability));
    CHECK(late.state.difficulty == near(same_day.difficulty));
    CHECK(late.last_review == t0);
    CHECK(late.reviews == 2);
    // replay() takes the same step.
    const std::vector<Review> log{{t0, Rating::Good}, {t0 - std::chrono::hours{1}, Rating::Good}};
    const auto replayed = ehrprep::replay(fsrs, log);
    REQUIRE(replayed.has_value());
    CHECK(replayed->state.stability == near(late.state.stability));
    CHECK(replayed->last_review == late.last_review);
    CHECK(replayed->due == late.due);
}

TEST_CASE("replay of an empty log", "[fsrs]") {
    const FsrsScheduler fsrs;
    const std::vector<Review> log;
    CHECK_FALSE(ehrprep::replay(fsrs, log).has_value());
}

TEST_CASE("rating from coverage at the threshold boundaries", "[fsrs]") {
    const RatingThresholds t;
    CHECK(ehrprep::rating_from_coverage(0.0, t) == Rating::Again);
    CHECK(ehrprep::rating_from_coverage(0.3999, t) == Rating::Again);
    CHECK(ehrprep::rating_from_coverage(0.40, t) == Rating::Hard);
    CHECK(ehrprep::rating_from_coverage(0.5999, t) == Rating::Hard);
    CHECK(ehrprep::rating_from_coverage(0.60, t) == Rating::Good);
    CHECK(ehrprep::rating_from_coverage(0.8499, t) == Rating::Good);
    CHECK(ehrprep::rating_from_coverage(0.85, t) == Rating::Easy);
    CHECK(ehrprep::rating_from_coverage(1.0, t) == Rating::Easy);
    CHECK(ehrprep::rating_from_coverage(std::nan(""), t) == Rating::Again);
}

TEST_CASE("threshold validation", "[fsrs]") {
    SECTION("defaults are valid") {
        const auto r = ehrprep::validate_thresholds({});
        REQUIRE(r.has_value());
        CHECK(r->good == 0.60);
    }
    SECTION("out of range names the field") {
        const auto high = ehrprep::validate_thresholds({0.4, 0.6, 1.5});
        REQUIRE_FALSE(high.has_value());
        CHECK_THAT(high.error().message, Catch::Contains("easy"));
        CHECK_THAT(high.error().message, Catch::Contains("[0, 1]"));

        const auto low = ehrprep::validate_thresholds({-0.1, 0.6, 0.85});
        REQUIRE_FALSE(low.has_value());
        CHECK_THAT(low.error().message, Catch::Contains("hard"));

        const auto zero = ehrprep::validate_thresholds({0.0, 0.6, 0.85});
        REQUIRE_FALSE(zero.has_value());
        CHECK(zero.error().message == "rating threshold 'hard' must be greater than 0");

        const auto nan = ehrprep::validate_thresholds(
            {0.4, std::numeric_limits<double>::quiet_NaN(), 0.85});
        REQUIRE_FALSE(nan.has_value());
        CHECK_THAT(nan.error().message, Catch::Contains("good"));
    }
    SECTION("not strictly increasing names the field") {
        const auto equal = ehrprep::validate_thresholds({0.6, 0.6, 0.85});
        REQUIRE_FALSE(equal.has_value());
        CHECK_THAT(equal.error().message, Catch::Contains("'good'"));

        const auto reversed = ehrprep::validate_thresholds({0.4, 0.9, 0.85});
        REQUIRE_FALSE(reversed.has_value());
        CHECK_THAT(reversed.error().message, Catch::Contains("'easy'"));
    }
    SECTION("messages are one line") {
        const auto r = ehrprep::validate_thresholds({0.4, 0.9, 0.85});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message.find('\n') == std::string::npos);
    }
}
