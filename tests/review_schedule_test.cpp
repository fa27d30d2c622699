#include <catch2/catch.hpp>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/review_schedule.hpp"
#include "support/quiz_fakes.hpp"

using namespace ehrprep;
using test::make_attempt;

namespace {

constexpr std::chrono::days kDay{1};
constexpr Timestamp kStart{std::chrono::seconds{1'796'030'100}};  // 2026-11-30T09:15:00Z

const QuestionSchedule& find(const std::vector<QuestionSchedule>& all, const std::string& id) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.question_id == id; });
    REQUIRE(it != all.end());
    return *it;
}

}  // namespace

TEST_CASE("coverage maps to a rating at the documented thresholds", "[review]") {
    const RatingThresholds t;  // 0.40, 0.60, 0.85
    CHECK(rating_for(make_attempt("q-1", kStart, 0.3999), t) == Rating::Again);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.40), t) == Rating::Hard);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.5999), t) == Rating::Hard);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.60), t) == Rating::Good);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.8499), t) == Rating::Good);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.85), t) == Rating::Easy);
    CHECK(rating_for(make_attempt("q-1", kStart, 1.0), t) == Rating::Easy);
}

TEST_CASE("skips and empty timeouts rate Again, and quitting rates nothing", "[review]") {
    const RatingThresholds t;
    CHECK(rating_for(make_attempt("q-1", kStart, 0.0, Outcome::Skipped, ""), t) == Rating::Again);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.0, Outcome::TimedOut, "  \n"), t) == Rating::Again);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.7, Outcome::TimedOut, "half an answer"), t) == Rating::Good);
    CHECK_FALSE(rating_for(make_attempt("q-1", kStart, 0.0, Outcome::Quit, ""), t).has_value());
}

TEST_CASE("thresholds are configurable and checked", "[review]") {
    auto custom = parse_rating_thresholds("0.3,0.5,0.9");
    REQUIRE(custom);
    CHECK(custom->good == 0.5);
    CHECK(rating_for(make_attempt("q-1", kStart, 0.55), *custom) == Rating::Good);
    CHECK(parse_rating_thresholds("0.3,0.5").error().message ==
          "--rating-thresholds takes three numbers, HARD,GOOD,EASY (like 0.4,0.6,0.85), not '0.3,0.5'");
    CHECK(parse_rating_thresholds("0.3,x,0.9").error().message == "--rating-thresholds: 'x' is not a number");
    CHECK(parse_rating_thresholds("0.6,0.5,0.9").error().message ==
          "--rating-thresholds: rating threshold 'good' must be greater than 'hard'");
}

TEST_CASE("one Good attempt schedules the question two days out", "[review]") {
    const QuestionBank bank = embedded_bank();
    ReviewScheduleBuilder builder(ReviewSettings{});
    builder.add(make_attempt("beginner-1", kStart, 0.7));
    auto all = builder.finish(bank, kStart + 2 * kDay);
    CHECK(all.size() == bank.questions().size());
    const QuestionSchedule& s = find(all, "beginner-1");
    REQUIRE_FALSE(s.is_new());
    CHECK(s.card->state.stability == Approx(2.3065).margin(1e-9));
    CHECK(s.card->due == kStart + 2 * kDay);  // round(2.3065) days at retention 0.9
    CHECK(s.retrievability == Approx(0.909493256).margin(1e-6));
    CHECK(s.due_by(kStart + 2 * kDay));
    CHECK_FALSE(s.due_by(kStart + 2 * kDay - std::chrono::seconds{1}));
    CHECK(find(all, "beginner-2").is_new());
}

TEST_CASE("replaying a history gives the schedule of the FSRS replay of its ratings", "[review]") {
    const QuestionBank bank = embedded_bank();
    const std::vector<Attempt> history{
        make_attempt("advanced-3", kStart, 0.65),                                   // Good
        make_attempt("beginner-1", kStart + std::chrono::seconds{100}, 0.2),                              // Again, another question
        make_attempt("advanced-3", kStart + 3 * kDay, 0.9),                         // Easy
        make_attempt("advanced-3", kStart + 3 * kDay + std::chrono::minutes{10}, 0.0, Outcome::Quit),    // ignored
        make_attempt("advanced-3", kStart + 13 * kDay, 0.1, Outcome::Skipped, ""),  // Again: a lapse
        make_attempt("advanced-3", kStart + 14 * kDay, 0.45),                       // Hard
    };
    ReviewScheduleBuilder builder(ReviewSettings{});
    for (const Attempt& a : history) builder.add(a);
    const auto all = builder.finish(bank, kStart + 20 * kDay);

    const std::vector<Review> log{{kStart, Rating::Good}, {kStart + 3 * kDay, Rating::Easy},
                                  {kStart + 13 * kDay, Rating::Again}, {kStart + 14 * kDay, Rating::Hard}};
    const CardSchedule expected = *replay(FsrsScheduler{}, log);
    const QuestionSchedule& got = find(all, "advanced-3");
    REQUIRE(got.card);
    CHECK(got.card->state.stability == Approx(expected.state.stability).margin(1e-9));
    CHECK(got.card->state.difficulty == Approx(expected.state.difficulty).margin(1e-9));
    CHECK(got.card->due == expected.due);
    CHECK(got.card->reviews == 4);
    CHECK(got.card->lapses == 1);
    CHECK(got.card->last_review == kStart + 14 * kDay);
}

TEST_CASE("a higher desired retention brings reviews sooner", "[review]") {
    const QuestionBank bank = embedded_bank();
    ReviewSettings strict;
    strict.fsrs.desired_retention = 0.95;
    ReviewScheduleBuilder relaxed_builder(ReviewSettings{}), strict_builder(strict);
    for (auto* b : {&relaxed_builder, &strict_builder}) {
        b->add(make_attempt("beginner-3", kStart, 0.9));
        b->add(make_attempt("beginner-3", kStart + 8 * kDay, 0.9));
    }
    const auto relaxed = find(relaxed_builder.finish(bank, kStart), "beginner-3");
    const auto strict_one = find(strict_builder.finish(bank, kStart), "beginner-3");
    CHECK(strict_one.card->due < relaxed.card->due);
}

TEST_CASE("the review queue puts the most forgotten due question first", "[review]") {
    const QuestionBank bank = embedded_bank();
    ReviewScheduleBuilder builder(ReviewSettings{});
    builder.add(make_attempt("beginner-1", kStart, 0.2));              // Again: due in a day, weakest
    builder.add(make_attempt("beginner-2", kStart, 0.7));              // Good: due in two days
    builder.add(make_attempt("beginner-3", kStart, 0.5));              // Hard: due in a day
    builder.add(make_attempt("beginner-4", kStart + 30 * kDay, 1.0));  // Easy and recent: not due
    const Timestamp now = kStart + 3 * kDay;
    const auto queue = review_queue(builder.finish(bank, now), now);
    REQUIRE(queue.size() == 4);  // new questions are not queued
    CHECK(queue[0].question_id == "beginner-1");
    CHECK(queue[1].question_id == "beginner-3");
    CHECK(queue[2].question_id == "beginner-2");
    CHECK(queue[3].question_id == "beginner-4");
    CHECK(queue[0].retrievability < queue[1].retrievability);
    CHECK_FALSE(queue[3].due_by(now));
}

TEST_CASE("an attempt dated before the last review counts as a same-day review", "[review]") {
    const QuestionBank bank = embedded_bank();
    ReviewScheduleBuilder builder(ReviewSettings{});
    builder.add(make_attempt("beginner-5", kStart, 0.7));
    builder.add(make_attempt("beginner-5", kStart - std::chrono::hours{1}, 0.7));  // another session's line, written late
    const auto s = find(builder.finish(bank, kStart), "beginner-5");
    CHECK(s.card->reviews == 2);
    CHECK(s.card->last_review == kStart);
    const MemoryState same_day = FsrsScheduler{}.next_state(FsrsScheduler{}.initial_state(Rating::Good), 0.0, Rating::Good);
    CHECK(s.card->state.stability == Approx(same_day.stability).margin(1e-9));
}

TEST_CASE("a chosen rating overrides the suggested one, and a retry rates nothing", "[review]") {
    const RatingThresholds t;
    Attempt chosen = make_attempt("q-1", kStart, 0.9);
    chosen.suggested_rating = Rating::Easy;
    chosen.chosen_rating = Rating::Hard;
    CHECK(rating_for(chosen, t) == Rating::Hard);
    Attempt retry = make_attempt("q-1", kStart, 0.9);
    retry.retry = true;
    CHECK_FALSE(rating_for(retry, t));
}
