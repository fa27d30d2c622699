#include "ehrprep/progress.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "ehrprep/history.hpp"
#include "ehrprep/quiz_session.hpp"
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
        for (const SessionSelection::Chosen& session : selection.chosen()) ids.emplace_back(session.id);
        return ids;
    };
    CHECK(chosen_ids(std::nullopt) == std::vector<std::string>{"late", "tie-first", "tie-second"});
    CHECK(chosen_ids(2) == std::vector<std::string>{"tie-first", "tie-second"});
    CHECK(chosen_ids(1) == std::vector<std::string>{"tie-second"});
}

namespace {

// A builder of `history` added in parts split at `cuts` (indices into it), each part into a
// builder of its own, merged in order as the parallel reader merges them; none when the session
// ids defeated the window and the history must be read again with none.
std::optional<ProgressBuilder> read_in_parts(const QuestionBank& bank, const std::vector<Attempt>& history,
                                             const ProgressFilter& filter, const std::vector<std::size_t>& cuts,
                                             ProgressDetail detail = ProgressDetail::Full,
                                             std::optional<std::size_t> session_window = kSessionWindow) {
    ProgressBuilder first(bank, filter, {}, detail, session_window);
    if (filter.last_sessions) {
        std::vector<SessionSelection> selections(1, SessionSelection(filter.last_sessions, session_window));
        for (std::size_t k = 0; k < cuts.size(); ++k) selections.push_back(selections.front().part());
        std::size_t part = 0;
        for (std::size_t k = 0; k < history.size(); ++k) {
            while (part < cuts.size() && k >= cuts[part]) ++part;
            if (filter.admits(history[k])) selections[part].add(history[k]);
        }
        for (std::size_t k = 1; k < selections.size(); ++k) selections.front().merge(std::move(selections[k]));
        if (selections.front().needs_second_reading()) return std::nullopt;
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
    if (builders.front().needs_second_reading()) return std::nullopt;
    return std::move(builders.front());
}

ProgressReport build_in_parts(const QuestionBank& bank, const std::vector<Attempt>& history, const ProgressFilter& filter,
                              const std::vector<std::size_t>& cuts) {
    return read_in_parts(bank, history, filter, cuts).value().finish(parse_date(test::kFixedToday).value(),
                                                                     test::kFixedNow);
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

TEST_CASE("daily means hold only the tiers practised each day, however many tiers a history names", "[progress]") {
    // Two thousand tiers the bank lacks, each practised on a day of its own, and a bank tier
    // practised every day: a day lists two means, not two thousand.
    const Attempt model = fixed_history().front();
    std::vector<Attempt> history;
    for (int k = 0; k < 2000; ++k) {
        Attempt bank_tier = model;
        bank_tier.session_id = "s" + std::to_string(k);
        bank_tier.started_at = parse_utc("2020-01-01T10:00:00Z").value() + std::chrono::hours{24 * k};
        bank_tier.coverage = 0.5;
        Attempt other = bank_tier;
        other.tier_id = "legacy-" + std::to_string(k);
        other.question_id = "legacy-q" + std::to_string(k);
        other.coverage = 0.25;
        history.push_back(bank_tier);
        history.push_back(other);
    }
    const QuestionBank bank = progress_bank();
    const ProgressReport r = build(bank, history, {});
    REQUIRE(r.tiers.size() == 2 + 2000);
    REQUIRE(r.daily.size() == 2000);
    for (std::size_t k = 0; k < r.daily.size(); k += 199) {
        CAPTURE(k);
        const DailyCoverage& d = r.daily[k];
        REQUIRE(d.tier_means.size() == 2);
        CHECK(d.tier(0) == 0.5);  // basics, the bank's first tier
        CHECK(d.tier(1) == std::nullopt);
        CHECK(r.tiers[d.tier_means[1].first].id == "legacy-" + std::to_string(k));
        CHECK(d.tier_means[1].second == 0.25);
    }
    // Read in two parts, the legacy tiers are numbered in each part and merged: the same report.
    CHECK(render_json(build_in_parts(bank, history, {}, {history.size() / 2})) == render_json(r));
}

TEST_CASE("labels the bank lacks rank as one reading meets them, when the history is read in parts", "[progress]") {
    // Two labels missed as often as each other keep the order they were first met in, which
    // the later part's latest attempt lists the other way round.
    std::vector<Attempt> history = fixed_history();
    Attempt first = history.back();
    first.missed = {"Zeta", "Alpha"};
    first.started_at += std::chrono::hours{1};
    Attempt latest = first;
    latest.missed = {"Alpha", "Zeta"};
    latest.started_at += std::chrono::hours{1};
    history.push_back(first);
    history.push_back(latest);
    const QuestionBank bank = progress_bank();
    const ProgressReport serial = build(bank, history, {});
    std::vector<std::string> ranked;
    for (const ConceptMisses& c : serial.most_missed)
        if (c.label == "Zeta" || c.label == "Alpha") ranked.push_back(c.label);
    REQUIRE(ranked == std::vector<std::string>{"Zeta", "Alpha"});
    for (std::size_t cut = 0; cut <= history.size(); ++cut) {
        CAPTURE(cut);
        CHECK(render_json(build_in_parts(bank, history, {}, {cut})) == render_json(serial));
    }
}

TEST_CASE("the summary stats shows has every figure of the full report, without daily means or sessions one by one",
          "[progress]") {
    const QuestionBank bank = progress_bank();
    std::vector<ProgressFilter> filters(3);
    filters[1].tiers = {"basics"};
    filters[2].last_sessions = 2;
    for (const ProgressFilter& filter : filters) {
        const ProgressReport full = build(bank, fixed_history(), filter);
        const ProgressReport summary = build(bank, fixed_history(), filter, test::kFixedToday, ProgressDetail::Summary);
        REQUIRE_FALSE(full.daily.empty());
        CHECK(summary.daily.empty());
        CHECK(summary.sessions.empty());
        CHECK(summary.session_count == full.sessions.size());
        CHECK(full.session_count == full.sessions.size());
        CHECK(summary.last_practised == full.last_practised);
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

namespace {

// Forty sessions over seven weeks with ids as ehrprep writes them, which sort by start: one to
// three attempts each, some days with two sessions, every outcome, a question the bank lacks,
// and at some session boundaries a line of the next session before the last of the one before,
// as two terminals write them.
std::vector<Attempt> long_history() {
    const std::vector<Attempt> model = fixed_history();
    std::vector<Attempt> history;
    Timestamp start = parse_utc("2026-01-05T07:00:00Z").value();
    for (int session = 0; session < 40; ++session) {
        start += std::chrono::hours{session % 3 == 0 ? 30 : 5};
        const std::string id = make_session_id(start, static_cast<std::uint64_t>(session));
        for (int k = 0; k <= session % 3; ++k) {
            Attempt a = model[static_cast<std::size_t>(session * 3 + k) % model.size()];
            a.session_id = id;
            a.started_at = start + std::chrono::minutes{40 * k};
            a.coverage = static_cast<double>((session * 37 + k * 11) % 100) / 100.0;
            history.push_back(a);
        }
    }
    for (std::size_t k = 1; k < history.size(); k += 7)
        if (history[k].session_id != history[k - 1].session_id) std::swap(history[k], history[k - 1]);
    return history;
}

// What stats shows of the sessions: how many, the trends and the streaks.
void check_session_figures(const ProgressReport& summary, const ProgressReport& full) {
    CHECK(summary.session_count == full.sessions.size());
    CHECK(summary.overall.change == full.overall.change);
    CHECK(summary.overall.coverage.attempts == full.overall.coverage.attempts);
    REQUIRE(summary.tiers.size() == full.tiers.size());
    for (std::size_t t = 0; t < full.tiers.size(); ++t) CHECK(summary.tiers[t].change == full.tiers[t].change);
    CHECK(summary.current_streak_days == full.current_streak_days);
    CHECK(summary.longest_streak_days == full.longest_streak_days);
    CHECK(summary.last_practised == full.last_practised);
}

// A summary has the full report's session figures; a full report that folded sessions is the
// one that did not, to the byte.
void check_folded(ProgressBuilder&& builder, ProgressDetail detail, const ProgressReport& full, Date today) {
    const ProgressReport report = std::move(builder).finish(today, test::kFixedNow);
    if (detail == ProgressDetail::Summary) check_session_figures(report, full);
    else CHECK(render_json(report) == render_json(full));
}

constexpr ProgressDetail kDetails[] = {ProgressDetail::Summary, ProgressDetail::Full};

std::vector<ProgressFilter> session_filters() {
    std::vector<ProgressFilter> filters(4);
    filters[1].tiers = {"deep"};
    filters[2].since = parse_date("2026-01-20").value();
    filters[3].last_sessions = 7;
    return filters;
}

constexpr const char* kLongToday = "2026-02-25";

}  // namespace

TEST_CASE("a selection that folds old sessions chooses the ones a selection with none chooses, ties included",
          "[progress]") {
    // Twenty sessions that started in the same second: the last ones seen are the last ones.
    std::vector<Attempt> history;
    Attempt a = fixed_history().front();
    for (std::uint64_t k = 0; k < 20; ++k) {
        a.session_id = make_session_id(a.started_at, k);
        history.push_back(a);
    }
    const std::vector<std::string> last_three = {history[17].session_id, history[18].session_id,
                                                 history[19].session_id};
    for (const std::size_t window : {1, 2, 4}) {
        for (std::size_t cut = 0; cut <= history.size(); ++cut) {
            CAPTURE(window, cut);
            SessionSelection first(3, window);
            SessionSelection later = first.part();
            for (std::size_t k = 0; k < history.size(); ++k) (k < cut ? first : later).add(history[k]);
            first.merge(std::move(later));
            REQUIRE_FALSE(first.needs_second_reading());
            std::vector<std::string> chosen;
            for (const SessionSelection::Chosen& session : first.chosen()) chosen.emplace_back(session.id);
            CHECK(chosen == last_three);
        }
    }
}

TEST_CASE("a report that folds old sessions while reading, in one part or several, is the one that keeps all open",
          "[progress]") {
    const QuestionBank bank = progress_bank();
    const std::vector<Attempt> history = long_history();
    const Date today = parse_date(kLongToday).value();
    for (const ProgressFilter& filter : session_filters()) {
        const ProgressReport full = build(bank, history, filter, kLongToday);
        REQUIRE(full.overall.change.has_value());
        REQUIRE(full.longest_streak_days > 1);
        REQUIRE(full.daily.size() > 3);
        for (const ProgressDetail detail : kDetails) {
            for (const std::size_t window : {2, 3, 5}) {
                CAPTURE(detail == ProgressDetail::Full, window);
                for (std::size_t cut = 0; cut <= history.size(); cut += 3) {
                    CAPTURE(cut);
                    for (const std::vector<std::size_t>& cuts : {std::vector<std::size_t>{}, {cut}, {cut / 2, cut}}) {
                        std::optional<ProgressBuilder> builder = read_in_parts(bank, history, filter, cuts, detail, window);
                        // Never more than two sessions are open at once here, so a window of two holds them.
                        REQUIRE(builder);
                        check_folded(std::move(*builder), detail, full, today);
                    }
                }
            }
        }
    }
}

TEST_CASE("a folding report asks for a second reading when a folded session comes back or ids do not sort by start",
          "[progress]") {
    const QuestionBank bank = progress_bank();
    const Date today = parse_date(kLongToday).value();
    // The first session comes back, as a terminal left open for weeks would write: midway, or
    // at the end.
    std::vector<Attempt> midway = long_history();
    Attempt again = midway.front();
    again.started_at += std::chrono::hours{24 * 20};
    midway.insert(midway.begin() + static_cast<std::ptrdiff_t>(midway.size() / 2), again);
    std::vector<Attempt> at_end = long_history();
    again.started_at += std::chrono::hours{24 * 20};
    at_end.push_back(again);
    std::vector<Attempt> unsorted = long_history();
    for (Attempt& a : unsorted)
        a.session_id = "z" + std::to_string(99'999'999 - a.started_at.time_since_epoch().count() / 3600);

    for (const std::vector<Attempt>* history : {&midway, &at_end, &unsorted}) {
        for (const ProgressFilter& filter : session_filters()) {
            const ProgressReport full = build(bank, *history, filter, kLongToday);
            for (const ProgressDetail detail : kDetails) {
                // Folding one session at a time (a window of one) with two terminals' lines
                // interleaved also folds a session that has not ended.
                for (const std::size_t window : {1, 2, 5}) {
                    CAPTURE(detail == ProgressDetail::Full, window);
                    if (filter.empty()) CHECK_FALSE(read_in_parts(bank, *history, filter, {}, detail, window));
                    for (std::size_t cut = 0; cut <= history->size(); cut += 3) {
                        CAPTURE(cut);
                        std::optional<ProgressBuilder> builder = read_in_parts(bank, *history, filter, {cut}, detail, window);
                        // Read in parts, a session may stay open in the part that holds all of it;
                        // whatever happens, figures are never silently wrong.
                        if (builder) check_folded(std::move(*builder), detail, full, today);
                    }
                }
                std::optional<ProgressBuilder> whole = read_in_parts(bank, *history, filter, {}, detail, std::nullopt);
                REQUIRE(whole);
                check_folded(std::move(*whole), detail, full, today);
            }
        }
    }
}

TEST_CASE("a folding report of random histories is never silently wrong, however sessions interleave, return or sort",
          "[progress]") {
    const QuestionBank bank = progress_bank();
    const std::vector<Attempt> model = fixed_history();
    const Date today = parse_date(kLongToday).value();
    std::mt19937 rng(20261130);
    auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    std::size_t exact = 0;
    for (int round = 0; round < 150; ++round) {
        // Sessions start hours apart or at the same second, now and then with the clock set
        // back or an id of another form; up to three write at once, and some come back days later.
        std::vector<std::vector<Attempt>> sessions(static_cast<std::size_t>(3 + below(25)));
        Timestamp start = parse_utc("2026-01-05T07:00:00Z").value();
        for (std::size_t k = 0; k < sessions.size(); ++k) {
            start += std::chrono::hours{below(10) == 0 ? -30 : below(4) == 0 ? 0 : 1 + below(30)};
            const std::string id = below(12) == 0 ? "x" + std::to_string(below(1000)) : make_session_id(start, k);
            for (int n = 0; n <= below(4); ++n) {
                Attempt a = model[static_cast<std::size_t>(below(static_cast<int>(model.size())))];
                a.session_id = id;
                a.started_at = start + std::chrono::minutes{50 * n};
                a.coverage = static_cast<double>(below(10'001)) / 10'000.0;
                sessions[k].push_back(a);
            }
        }
        std::vector<Attempt> history;
        std::vector<Attempt> returning;
        std::size_t next = 0;
        std::vector<std::size_t> writing;
        std::vector<std::size_t> written(sessions.size(), 0);
        while (next < sessions.size() || !writing.empty()) {
            if (next < sessions.size() && (writing.empty() || (writing.size() < 3 && below(3) == 0)))
                writing.push_back(next++);
            const std::size_t at = static_cast<std::size_t>(below(static_cast<int>(writing.size())));
            const std::size_t k = writing[at];
            history.push_back(sessions[k][written[k]++]);
            if (written[k] == sessions[k].size()) {
                writing.erase(writing.begin() + static_cast<std::ptrdiff_t>(at));
                if (below(15) == 0) returning.push_back(sessions[k].back());
            }
        }
        for (Attempt& a : returning) {
            a.started_at += std::chrono::hours{24 * 3};
            history.insert(history.begin() + below(static_cast<int>(history.size()) + 1), a);
        }

        for (const ProgressFilter& filter : session_filters()) {
            const ProgressReport full = build(bank, history, filter, kLongToday);
            for (const ProgressDetail detail : kDetails) {
                for (const std::size_t window : {1, 2, 4}) {
                    std::vector<std::size_t> cuts;
                    for (int c = below(3); c > 0; --c)
                        cuts.push_back(static_cast<std::size_t>(below(static_cast<int>(history.size()) + 1)));
                    std::sort(cuts.begin(), cuts.end());
                    std::optional<ProgressBuilder> builder = read_in_parts(bank, history, filter, cuts, detail, window);
                    if (!builder) continue;
                    ++exact;
                    INFO("round " << round << ", window " << window << ", " << cuts.size() << " cuts, "
                                  << (detail == ProgressDetail::Full ? "full" : "summary"));
                    check_folded(std::move(*builder), detail, full, today);
                }
            }
        }
    }
    // Every reading that needed no second one was checked above: a third of them at least.
    CHECK(exact > 150 * 4 * 2 * 3 / 3);
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
