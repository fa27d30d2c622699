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
    ReviewScheduleBuilder builder(bank, ReviewSettings{});
    builder.add(make_attempt("beginner-1", kStart, 0.7));
    auto all = builder.finish(kStart + 2 * kDay);
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
    ReviewScheduleBuilder builder(bank, ReviewSettings{});
    for (const Attempt& a : history) builder.add(a);
    const auto all = builder.finish(kStart + 20 * kDay);

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
    ReviewScheduleBuilder relaxed_builder(bank, ReviewSettings{}), strict_builder(bank, strict);
    for (auto* b : {&relaxed_builder, &strict_builder}) {
        b->add(make_attempt("beginner-3", kStart, 0.9));
        b->add(make_attempt("beginner-3", kStart + 8 * kDay, 0.9));
    }
    const auto relaxed = find(relaxed_builder.finish(kStart), "beginner-3");
    const auto strict_one = find(strict_builder.finish(kStart), "beginner-3");
    CHECK(strict_one.card->due < relaxed.card->due);
}

TEST_CASE("the review queue puts the most forgotten due question first", "[review]") {
    const QuestionBank bank = embedded_bank();
    ReviewScheduleBuilder builder(bank, ReviewSettings{});
    builder.add(make_attempt("beginner-1", kStart, 0.2));              // Again: due in a day, weakest
    builder.add(make_attempt("beginner-2", kStart, 0.7));              // Good: due in two days
    builder.add(make_attempt("beginner-3", kStart, 0.5));              // Hard: due in a day
    builder.add(make_attempt("beginner-4", kStart + 30 * kDay, 1.0));  // Easy and recent: not due
    const Timestamp now = kStart + 3 * kDay;
    const auto queue = review_queue(builder.finish(now), now);
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
    ReviewScheduleBuilder builder(bank, ReviewSettings{});
    builder.add(make_attempt("beginner-5", kStart, 0.7));
    builder.add(make_attempt("beginner-5", kStart - std::chrono::hours{1}, 0.7));  // another session's line, written late
    const auto s = find(builder.finish(kStart), "beginner-5");
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

TEST_CASE("a bank of 100,000 questions is scheduled and queued, each question by its own history", "[review]") {
    std::vector<Question> questions;
    for (int k = 0; k < 100000; ++k)
        questions.push_back(Question{"q-" + std::to_string(k), "t", "Q?", "H.", {Concept{"c", 1.0, {"c"}}}, ""});
    const QuestionBank bank("Big", {Tier{"t", "T", 60}}, std::move(questions));
    ReviewScheduleBuilder builder(bank, ReviewSettings{});
    for (int k = 0; k < 100000; k += 1000) builder.add(make_attempt("q-" + std::to_string(k), kStart, k % 2000 ? 0.9 : 0.1));
    builder.add(make_attempt("Q-0", kStart, 0.9));        // not the bank's id as written: not scheduled
    builder.add(make_attempt("gone-1", kStart, 0.9));     // a question the bank no longer has
    const auto all = builder.finish(kStart + 2 * kDay);
    REQUIRE(all.size() == 100000);
    CHECK(find(all, "q-0").card->reviews == 1);
    CHECK(all[1].is_new());
    const auto queue = review_queue(all, kStart + 2 * kDay);
    REQUIRE(queue.size() == 100);
    CHECK(queue.front().due_by(kStart + 2 * kDay));
    CHECK(queue.front().question_id.rfind("q-", 0) == 0);
    CHECK(std::stoi(queue.front().question_id.substr(2)) % 2000 == 0);  // the Again ones come due first
}

TEST_CASE("a history read in two parts schedules every question as one read whole, whatever its dates", "[review]") {
    const QuestionBank bank = embedded_bank();
    // Lines out of time order, decades apart, and on the first and last days the history can
    // name: the later part keeps its reviews compactly until the merge replays them.
    const Timestamp earliest{std::chrono::seconds{-62'135'596'800}};  // 0001-01-01
    const Timestamp latest{std::chrono::seconds{253'402'300'799}};    // 9999-12-31T23:59:59
    std::vector<Attempt> history;
    const std::vector<std::string> ids{"beginner-1", "advanced-7", "behavioral-5", "beginner-1"};
    for (int k = 0; k < 40; ++k) {
        const Timestamp at = k % 7 == 3 ? earliest : k % 11 == 5 ? latest : kStart + (k % 5) * kDay - (k / 5) * 400 * kDay;
        Attempt a = make_attempt(ids[static_cast<std::size_t>(k) % ids.size()], at, (k * 37 % 100) / 100.0);
        if (k % 9 == 4) a.chosen_rating = Rating::Easy;
        history.push_back(std::move(a));
    }
    ReviewScheduleBuilder whole(bank, ReviewSettings{});
    for (const Attempt& a : history) whole.add(a);
    for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{17}, history.size()}) {
        CAPTURE(cut);
        ReviewScheduleBuilder first(bank, ReviewSettings{});
        ReviewScheduleBuilder second = first.part();
        for (std::size_t k = 0; k < history.size(); ++k) (k < cut ? first : second).add(history[k]);
        first.merge(std::move(second));
        const auto expected = whole.finish(kStart);
        const auto got = first.finish(kStart);
        REQUIRE(got.size() == expected.size());
        std::size_t scheduled = 0;
        for (std::size_t q = 0; q < got.size(); ++q) {
            CAPTURE(got[q].question_id);
            REQUIRE(got[q].card.has_value() == expected[q].card.has_value());
            if (!got[q].card) continue;
            ++scheduled;
            CHECK(got[q].card->reviews == expected[q].card->reviews);
            CHECK(got[q].card->lapses == expected[q].card->lapses);
            CHECK(got[q].card->last_review == expected[q].card->last_review);
            CHECK(got[q].card->due == expected[q].card->due);
            CHECK(got[q].card->state.stability == expected[q].card->state.stability);
            CHECK(got[q].card->state.difficulty == expected[q].card->state.difficulty);
        }
        CHECK(scheduled == 3);
    }
}
