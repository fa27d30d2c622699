#include "ehrprep/progress.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "ehrprep/history.hpp"
#include "ehrprep/report_json.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::progress_bank;

namespace {

const TierProgress& tier(const ProgressReport& r, const std::string& id) {
    auto found = std::find_if(r.tiers.begin(), r.tiers.end(), [&](const TierProgress& t) { return t.id == id; });
    REQUIRE(found != r.tiers.end());
    return *found;
}

const QuestionProgress& question(const ProgressReport& r, const std::string& id) {
    auto found = std::find_if(r.questions.begin(), r.questions.end(), [&](const QuestionProgress& q) { return q.id == id; });
    REQUIRE(found != r.questions.end());
    return *found;
}

std::vector<std::string> weakest_ids(const ProgressReport& r) {
    std::vector<std::string> ids;
    for (std::size_t k : r.weakest) ids.push_back(r.questions[k].id);
    return ids;
}

}  // namespace

TEST_CASE("per-tier and overall figures count scored attempts for coverage", "[progress]") {
    const QuestionBank bank = progress_bank();
    const ProgressReport r = build(bank, fixed_history());

    REQUIRE(r.tiers.size() == 2);
    const TierProgress& basics = tier(r, "basics");
    CHECK(basics.name == "Basics");
    CHECK(basics.questions_total == 2);
    CHECK(basics.questions_practised == 2);  // the retired question is not one of the bank's two
    CHECK(basics.coverage.attempts == 6);
    CHECK(*basics.coverage.mean() == Approx(3.8 / 6));
    CHECK(*basics.coverage.best() == Approx(1.0));

    const TierProgress& deep = tier(r, "deep");
    CHECK(deep.questions_practised == 1);  // deep-2 was only ever quit
    CHECK(deep.coverage.attempts == 5);
    CHECK(deep.coverage.scored == 3);  // the skip and the quit do not drag the mean down
    CHECK(*deep.coverage.mean() == Approx(1.3 / 3));

    CHECK(r.overall.questions_practised == 3);
    CHECK(r.overall.questions_total == 4);
    CHECK(r.overall.coverage.attempts == 11);
    CHECK(*r.overall.coverage.mean() == Approx(5.1 / 9));
    CHECK(r.outcomes.answered == 8);
    CHECK(r.outcomes.timed_out == 1);
    CHECK(r.outcomes.skipped == 1);
    CHECK(r.outcomes.quit == 1);
    CHECK(r.sessions.size() == 5);
}

TEST_CASE("change compares the latest sessions with the ones before", "[progress]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    // Five sessions: the last two (2.1 over 3 scored) against the two before (2.25 over 4).
    CHECK(*r.overall.change == Approx(2.1 / 3 - 2.25 / 4));
    // deep was scored in three sessions: the last one against the one before.
    CHECK(*tier(r, "deep").change == Approx(0.60 - 0.30));

    const ProgressReport one = build(progress_bank(), {fixed_history().front()});
    CHECK_FALSE(one.overall.change.has_value());
}

TEST_CASE("change waits until the sessions compared span more than one day", "[progress]") {
    // Three sessions in one evening, the last far better than the one before: no change yet.
    std::vector<Attempt> evening;
    const double scores[] = {0.25, 0.5, 1.0};
    for (int k = 0; k < 3; ++k) {
        Attempt a = fixed_history().front();
        a.session_id = "e" + std::to_string(k);
        a.started_at = parse_utc("2026-03-10T19:00:00Z").value() + std::chrono::minutes{20 * k};
        a.coverage = scores[k];
        evening.push_back(a);
    }
    const ProgressReport one_day = build(progress_bank(), evening);
    CHECK_FALSE(one_day.overall.change.has_value());
    CHECK_FALSE(one_day.tiers.front().change.has_value());

    // A session the next morning: the comparison now reaches across days.
    Attempt next = evening.back();
    next.session_id = "m";
    next.started_at = parse_utc("2026-03-11T08:00:00Z").value();
    next.coverage = 0.75;
    evening.push_back(next);
    const ProgressReport two_days = build(progress_bank(), evening, {}, "2026-03-11");
    REQUIRE(two_days.overall.change.has_value());
    CHECK(*two_days.overall.change == Approx((1.0 + 0.75) / 2 - (0.25 + 0.5) / 2));
}

TEST_CASE("weakest questions go by latest coverage, not the mean, and leave out strong ones", "[progress]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    // basics-1 has the lowest first score but is now at 100%, and basics-2 at 80% is strong too;
    // deep-2 has no score at all.
    CHECK(weakest_ids(r) == std::vector<std::string>{"retired-9", "deep-1"});
    const QuestionProgress& deep1 = question(r, "deep-1");
    CHECK(*deep1.latest_coverage == Approx(0.60));
    CHECK(deep1.latest_missed == std::vector<std::string>{"F"});
    CHECK(deep1.text == "Design a pipeline.");
    CHECK(deep1.hint == "Cover evaluation.");
    CHECK(*deep1.last_attempt_at == parse_utc("2026-03-10T07:00:00Z").value());
    const QuestionProgress& retired = question(r, "retired-9");
    CHECK_FALSE(retired.in_bank);
    CHECK(retired.text.empty());
}

TEST_CASE("concepts missed most often rank by count, then by rate", "[progress]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    std::vector<std::string> order;
    for (const ConceptMisses& c : r.most_missed) order.push_back(c.label + "@" + c.question_id);
    CHECK(order == std::vector<std::string>{"D@basics-2", "B@basics-1", "E@deep-1", "F@deep-1",
                                            "Old concept@retired-9", "C@basics-2"});
    CHECK(r.most_missed[0].missed == 2);
    CHECK(r.most_missed[0].scored_attempts == 2);
}

TEST_CASE("streak counts consecutive practice days up to today or yesterday", "[progress]") {
    const ProgressReport today = build(progress_bank(), fixed_history(), {}, "2026-03-10");
    CHECK(today.current_streak_days == 3);  // 8, 9 and 10 March
    CHECK(today.longest_streak_days == 3);
    CHECK(format_date(*today.last_practised) == "2026-03-10");

    CHECK(build(progress_bank(), fixed_history(), {}, "2026-03-11").current_streak_days == 3);
    CHECK(build(progress_bank(), fixed_history(), {}, "2026-03-12").current_streak_days == 0);
}

TEST_CASE("filters narrow every view", "[progress]") {
    const QuestionBank bank = progress_bank();

    SECTION("tier") {
        ProgressFilter filter;
        filter.tiers = {"deep"};
        const ProgressReport r = build(bank, fixed_history(), filter);
        REQUIRE(r.tiers.size() == 1);
        CHECK(r.overall.coverage.attempts == 5);
        CHECK(r.overall.questions_total == 2);
        CHECK(weakest_ids(r) == std::vector<std::string>{"deep-1"});
        CHECK(r.sessions.size() == 5);  // every session had a deep attempt
    }
    SECTION("since, in the user's calendar") {
        ProgressFilter filter;
        filter.since = parse_date("2026-03-09").value();
        CHECK(build(bank, fixed_history(), filter).overall.coverage.attempts == 4);
        // At UTC+5, session s3 (20:00 UTC on the 8th) happened on the 9th.
        filter.utc_offset = std::chrono::hours(5);
        const ProgressReport east = build(bank, fixed_history(), filter);
        CHECK(east.overall.coverage.attempts == 6);
        CHECK(format_date(east.daily.front().date) == "2026-03-09");
    }
    SECTION("last sessions") {
        ProgressFilter filter;
        filter.last_sessions = 2;
        const ProgressReport r = build(bank, fixed_history(), filter);
        CHECK(r.sessions.size() == 2);
        CHECK(r.sessions[0].id == "s4");
        CHECK(r.overall.coverage.attempts == 4);
        CHECK(question(r, "basics-1").coverage.attempts == 1);
        CHECK(question(r, "deep-1").coverage.attempts == 1);
        CHECK(r.longest_streak_days == 2);
        CHECK(r.most_missed.size() == 2);  // F and Old concept
    }
    SECTION("last sessions counts among the sessions the other filters leave") {
        ProgressFilter filter;
        filter.tiers = {"basics"};
        filter.last_sessions = 1;
        const ProgressReport r = build(bank, fixed_history(), filter);
        REQUIRE(r.sessions.size() == 1);
        CHECK(r.sessions[0].id == "s5");
        CHECK(r.overall.coverage.attempts == 1);
    }
}

TEST_CASE("sessions are ordered by start even when their lines interleave", "[progress]") {
    std::vector<Attempt> history = fixed_history();
    // A second terminal's session that started earlier but finished later.
    Attempt late = history.front();
    late.session_id = "early";
    late.started_at = parse_utc("2026-02-20T10:00:00Z").value();
    history.push_back(late);
    const ProgressReport r = build(progress_bank(), history);
    REQUIRE(r.sessions.size() == 6);
    CHECK(r.sessions.front().id == "early");
    CHECK(r.sessions.back().id == "s5");
    CHECK(r.sessions[1].tiers == std::vector<std::string>{"basics", "deep"});
}

TEST_CASE("an empty history gives an empty report", "[progress]") {
    const ProgressReport r = build(progress_bank(), {});
    CHECK(r.empty());
    CHECK(r.weakest.empty());
    CHECK_FALSE(r.last_practised.has_value());
    CHECK(r.tiers.size() == 2);
    CHECK(r.overall.questions_total == 4);
}

TEST_CASE("sessions are chosen by when they started, ties by where they first appear", "[progress]") {
    std::vector<Attempt> attempts(4, fixed_history().front());
    const Timestamp nine = parse_utc("2026-03-05T09:00:00Z").value();
    attempts[0].session_id = "late";
    attempts[0].started_at = nine + std::chrono::hours{3};
    attempts[1].session_id = "tie-first";
    attempts[1].started_at = nine;
    attempts[2].session_id = "tie-second";
    attempts[2].started_at = nine;
    attempts[3].session_id = "late";  // a line of "late" that started before everything else
    attempts[3].started_at = nine - std::chrono::hours{1};

    auto chosen_ids = [&](std::optional<std::size_t> last) {
        SessionSelection selection(last);
        for (const Attempt& a : attempts) selection.add(a);
        std::vector<std::string> ids;
        for (std::uint32_t k : selection.chosen()) ids.emplace_back(selection.id(k));
        return ids;
    };
    CHECK(chosen_ids(std::nullopt) == std::vector<std::string>{"late", "tie-first", "tie-second"});
    CHECK(chosen_ids(2) == std::vector<std::string>{"tie-first", "tie-second"});
    CHECK(chosen_ids(1) == std::vector<std::string>{"tie-second"});
}

namespace {

// The report of `history` added in parts split at `cuts` (indices into it), each part into a
// builder of its own, merged in order as the parallel reader merges them.
ProgressReport build_in_parts(const QuestionBank& bank, const std::vector<Attempt>& history, const ProgressFilter& filter,
                              const std::vector<std::size_t>& cuts) {
    ProgressBuilder first(bank, filter);
    if (filter.last_sessions) {
        std::vector<SessionSelection> selections(1, SessionSelection(filter.last_sessions));
        for (std::size_t k = 0; k < cuts.size(); ++k) selections.push_back(selections.front().part());
        std::size_t part = 0;
        for (std::size_t k = 0; k < history.size(); ++k) {
            while (part < cuts.size() && k >= cuts[part]) ++part;
            if (filter.admits(history[k])) selections[part].add(history[k]);
        }
        for (std::size_t k = 1; k < selections.size(); ++k) selections.front().merge(std::move(selections[k]));
        first.keep_sessions(selections.front());
    }
    std::vector<ProgressBuilder> builders;
    builders.push_back(std::move(first));
    for (std::size_t k = 0; k < cuts.size(); ++k) builders.push_back(builders.front().part());
    std::size_t part = 0;
    for (std::size_t k = 0; k < history.size(); ++k) {
        while (part < cuts.size() && k >= cuts[part]) ++part;
        builders[part].add(history[k]);
    }
    for (std::size_t k = 1; k < builders.size(); ++k) builders.front().merge(std::move(builders[k]));
    return std::move(builders.front()).finish(parse_date(test::kFixedToday).value(), test::kFixedNow);
}

}  // namespace

TEST_CASE("a report built from parts of the history merged in order is the one a single pass builds", "[progress]") {
    std::vector<Attempt> history = fixed_history();
    // Lines that make merging hard: a session that spans parts and interleaves with another, a
    // tier and questions the bank lacks, labels it lacks, and ties in time.
    Attempt late = history.front();
    late.session_id = "early";
    late.started_at = parse_utc("2026-02-20T10:00:00Z").value();
    history.insert(history.begin() + 4, late);
    Attempt legacy = history.back();
    legacy.tier_id = "legacy";
    legacy.question_id = "legacy-1";
    legacy.missed = {"Gone", "Old concept"};
    history.insert(history.begin() + 2, legacy);
    history.push_back(legacy);
    Attempt again = history[1];
    again.session_id = "s1";
    again.missed = {"Unknown label", "C"};
    history.push_back(again);
    history.push_back(late);

    const QuestionBank bank = progress_bank();
    std::vector<ProgressFilter> filters(4);
    filters[1].tiers = {"basics", "legacy"};
    filters[2].last_sessions = 3;
    filters[3].since = parse_date("2026-03-02").value();
    for (const ProgressFilter& filter : filters) {
        const std::string serial = render_json(build(bank, history, filter));
        for (std::size_t cut = 0; cut <= history.size(); ++cut) {
            INFO("cut before attempt " << cut);
            CHECK(render_json(build_in_parts(bank, history, filter, {cut})) == serial);
            CHECK(render_json(build_in_parts(bank, history, filter, {cut / 2, cut})) == serial);
        }
    }
}

TEST_CASE("the summary stats shows has every figure of the full report, without daily means or session tiers", "[progress]") {
    const QuestionBank bank = progress_bank();
    std::vector<ProgressFilter> filters(3);
    filters[1].tiers = {"basics"};
    filters[2].last_sessions = 2;
    for (const ProgressFilter& filter : filters) {
        const ProgressReport full = build(bank, fixed_history(), filter);
        const ProgressReport summary = build(bank, fixed_history(), filter, test::kFixedToday, ProgressDetail::Summary);
        REQUIRE_FALSE(full.daily.empty());
        CHECK(summary.daily.empty());
        REQUIRE(summary.sessions.size() == full.sessions.size());
        for (std::size_t k = 0; k < summary.sessions.size(); ++k) {
            CHECK(summary.sessions[k].tiers.empty());
            CHECK_FALSE(full.sessions[k].tiers.empty());
        }
        CHECK(summary.tiers.size() == full.tiers.size());
        for (std::size_t t = 0; t < full.tiers.size(); ++t) {
            CAPTURE(full.tiers[t].id);
            CHECK(summary.tiers[t].change == full.tiers[t].change);
            CHECK(summary.tiers[t].coverage.mean() == full.tiers[t].coverage.mean());
            CHECK(summary.tiers[t].questions_practised == full.tiers[t].questions_practised);
        }
        CHECK(summary.overall.change == full.overall.change);
        CHECK(summary.current_streak_days == full.current_streak_days);
        CHECK(summary.longest_streak_days == full.longest_streak_days);
        CHECK(summary.weakest == full.weakest);
        CHECK(summary.reviews_due_now == full.reviews_due_now);
    }
}

TEST_CASE("a tier's change counts every attempt of a session with hundreds of them in that tier", "[progress]") {
    // One marathon session of 600 scored attempts in one tier, then three short ones on later
    // days: the change compares their means whatever the size of the first.
    std::vector<Attempt> history;
    const Attempt model = fixed_history().front();
    for (int k = 0; k < 600; ++k) {
        Attempt a = model;
        a.session_id = "marathon";
        a.started_at = parse_utc("2026-03-01T08:00:00Z").value() + std::chrono::seconds{k};
        a.coverage = k % 2 == 0 ? 0.9999 : 0.3333;
        history.push_back(a);
    }
    const double later[] = {0.25, 0.5, 0.75};
    for (int k = 0; k < 3; ++k) {
        Attempt a = model;
        a.session_id = "day" + std::to_string(k);
        a.started_at = parse_utc("2026-03-02T08:00:00Z").value() + std::chrono::hours{24 * k};
        a.coverage = later[k];
        history.push_back(a);
    }
    for (const ProgressDetail detail : {ProgressDetail::Full, ProgressDetail::Summary}) {
        const ProgressReport r = build(progress_bank(), history, {}, "2026-03-05", detail);
        const TierProgress& t = tier(r, model.tier_id);
        REQUIRE(t.change.has_value());
        // Two sessions each side: the marathon and day0 against day1 and day2.
        CHECK(*t.change == Approx((0.5 + 0.75) / 2 - (300 * (0.9999 + 0.3333) + 0.25) / 601));
        CHECK(*r.overall.change == Approx(*t.change));
    }
}

TEST_CASE("each attempt counts on its own local day, by the offset in force when it was made", "[progress]") {
    const QuestionBank bank = progress_bank();
    // US Eastern: UTC-4 from 2026-03-08 to 2026-11-01, UTC-5 either side.
    const Timestamp summer_from = parse_utc("2026-03-08T07:00:00Z").value();
    const Timestamp summer_to = parse_utc("2026-11-01T06:00:00Z").value();
    ProgressFilter filter;
    filter.utc_offset = UtcOffset([=](Timestamp at) {
        return at >= summer_from && at < summer_to ? -std::chrono::hours(4) : -std::chrono::hours(5);
    });
    std::vector<Attempt> history = {fixed_history()[0], fixed_history()[0]};
    history[0].session_id = "winter";
    history[0].started_at = parse_utc("2026-01-15T04:30:00Z").value();  // 23:30 on the 14th
    history[1].session_id = "summer";
    history[1].started_at = parse_utc("2026-07-15T04:30:00Z").value();  // 00:30 on the 15th
    const ProgressReport all = build(bank, history, filter, "2026-11-30");
    REQUIRE(all.daily.size() == 2);
    CHECK(format_date(all.daily[0].date) == "2026-01-14");
    CHECK(format_date(all.daily[1].date) == "2026-07-15");
    CHECK(all.last_practised == parse_date("2026-07-15").value());
    filter.since = parse_date("2026-07-15").value();
    CHECK(build(bank, history, filter, "2026-11-30").overall.coverage.attempts == 1);
    CHECK(filter.utc_offset.start_of(*filter.since) == parse_utc("2026-07-15T04:00:00Z").value());
    CHECK(filter.utc_offset.start_of(parse_date("2026-01-15").value()) == parse_utc("2026-01-15T05:00:00Z").value());
}
