#include "ehrprep/session_list.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "ehrprep/time.hpp"

using namespace ehrprep;

namespace {

struct Session {
    std::string id;
    SessionList::Totals totals;
    std::uint64_t first_seen = 0;
    std::vector<std::uint32_t> tiers;
};

Timestamp at(std::int64_t seconds) { return Timestamp{Timestamp::duration{seconds}}; }

Session session(std::string id, std::int64_t start, std::uint64_t first_seen, std::vector<std::uint32_t> tiers = {0}) {
    Session s{std::move(id), {at(start), at(start + 600), {}}, first_seen, std::move(tiers)};
    s.totals.coverage.add(true, 0.75);
    s.totals.coverage.add(false, 0.0);
    return s;
}

void add(SessionList& list, const Session& s) { list.add(s.id, s.totals, s.first_seen, s.tiers); }

// Every field of entry k is what was added.
void check_entry(const SessionList& list, std::size_t k, const Session& expected) {
    const SessionList::Entry entry = list.entry(k);
    CAPTURE(k, expected.id);
    CHECK(entry.id == expected.id);
    CHECK(entry.first_seen == expected.first_seen);
    CHECK(entry.totals.started_at == expected.totals.started_at);
    CHECK(entry.totals.ended_at == expected.totals.ended_at);
    CHECK(entry.totals.coverage.units == expected.totals.coverage.units);
    CHECK(entry.totals.coverage.attempts == expected.totals.coverage.attempts);
    CHECK(entry.totals.coverage.scored == expected.totals.coverage.scored);
    // Bit for bit: -0 and a best coverage of more than four places come back as read.
    CHECK(std::signbit(entry.totals.coverage.highest) == std::signbit(expected.totals.coverage.highest));
    CHECK(entry.totals.coverage.highest == expected.totals.coverage.highest);
    CHECK(entry.tiers == expected.tiers);
}

bool starts_before(const Session& a, const Session& b) {
    return a.totals.started_at != b.totals.started_at ? a.totals.started_at < b.totals.started_at
                                                       : a.first_seen < b.first_seen;
}

}  // namespace

TEST_CASE("a session list gives back every field of every session, whatever its form", "[session_list]") {
    std::vector<Session> sessions;
    sessions.push_back(session("20261130T091500Z-ab12", parse_utc("2026-11-30T09:15:00Z").value().time_since_epoch().count(), 0));
    // A quiz id whose time is not the session's first attempt, before it or after it.
    sessions.push_back(session("20261130T091500Z-0000", parse_utc("2026-11-30T09:17:03Z").value().time_since_epoch().count(), 1));
    sessions.push_back(session("20261130T091500Z-ffff", parse_utc("2026-11-30T09:10:00Z").value().time_since_epoch().count(), 2));
    // Ids close to a quiz's that must come back exactly as written.
    for (const char* id : {"20261130T091500Z-AB12", "20260230T091500Z-ab12", "20261130T240000Z-ab12",
                           "20261130T091500Z-ab1", "20261130T091500Z_ab12", "20261130t091500Z-ab12", "s1", "x",
                           "00000101T000000Z-0001", "99991231T235959Z-fffe", "2026113OT091500Z-ab12"})
        sessions.push_back(session(id, 1'800'000'000, sessions.size()));
    // An id far longer than a page.
    sessions.push_back(session(std::string(200'000, 'z'), 1'800'000'001, sessions.size()));
    // Years far apart, a session that lasted decades, counts past four bytes.
    Session far = session("far", parse_utc("0001-01-01T00:00:00Z").value().time_since_epoch().count(), 1ULL << 41);
    far.totals.ended_at = parse_utc("9999-12-31T23:59:59Z").value();
    sessions.push_back(far);
    Session odd = session("odd", 1'800'000'002, sessions.size(), {0, 5, 62, 63, 70, 1000});
    odd.totals.coverage = {};
    odd.totals.coverage.add(true, 0.123456789);  // from a hand-edited history
    odd.totals.coverage.add(true, 0.1);
    sessions.push_back(odd);
    Session negative_zero = session("negative-zero", 1'800'000'003, sessions.size(), {});
    negative_zero.totals.coverage = {};
    negative_zero.totals.coverage.add(true, -0.0);
    sessions.push_back(negative_zero);
    Session unscored = session("unscored", 1'800'000'004, sessions.size(), {3});
    unscored.totals.coverage = {};
    unscored.totals.coverage.add(false, 0.0);
    sessions.push_back(unscored);
    Session best = session("best", 1'800'000'005, sessions.size(), {0, 1, 2, 3, 4, 5});
    best.totals.coverage.add(true, 1.0);
    sessions.push_back(best);

    SessionList list;
    for (const Session& s : sessions) add(list, s);
    REQUIRE(list.size() == sessions.size());
    for (std::size_t k = 0; k < sessions.size(); ++k) check_entry(list, k, sessions[k]);

    list.name_tiers({"t0", "t1", "t2", "t3", "t4", "t5"});
    const SessionProgress shown = list[list.size() - 1];
    CHECK(shown.id == "best");
    CHECK(shown.tiers == std::vector<std::string>{"t0", "t1", "t2", "t3", "t4", "t5"});
    CHECK(shown.coverage.attempts == 3);
    CHECK(shown.coverage.best() == 1.0);
}

TEST_CASE("a session list reuses an entry's storage and gives the same as a fresh one", "[session_list]") {
    SessionList list;
    add(list, session(std::string(40, 'a'), 100, 0, {0, 1, 2}));
    add(list, session("b", 50, 1, {4}));
    SessionList::Entry reused;
    list.read(0, reused);
    list.read(1, reused);
    CHECK(reused.id == "b");
    CHECK(reused.tiers == std::vector<std::uint32_t>{4});
    CHECK(reused.totals.started_at == list.entry(1).totals.started_at);
}

TEST_CASE("a session list sorts by start, ties by first seen, in runs or jumbled", "[session_list]") {
    std::mt19937 rng(7);
    // Three sessions start in each hour, with first_seen in no order.
    std::vector<std::uint64_t> first_seen(3000);
    for (std::size_t k = 0; k < first_seen.size(); ++k) first_seen[k] = k;
    std::shuffle(first_seen.begin(), first_seen.end(), rng);
    std::vector<Session> expected;
    for (std::size_t k = 0; k < first_seen.size(); ++k)
        expected.push_back(session("20250101T000000Z-00" + std::to_string(10 + k % 90),
                                   1'700'000'000 + static_cast<std::int64_t>(k / 3) * 3600, first_seen[k]));
    std::sort(expected.begin(), expected.end(), starts_before);
    // Added as `runs` runs, each in order: sessions k, k + runs, k + 2 runs ... for each k.
    // Up to eight runs are merged, more sorted.
    for (const std::size_t runs : {1, 2, 3, 8, 9, 1500}) {
        CAPTURE(runs);
        SessionList list;
        for (std::size_t r = 0; r < runs; ++r)
            for (std::size_t k = r; k < expected.size(); k += runs) add(list, expected[k]);
        list.sort_by_start();
        REQUIRE(list.size() == expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k) {
            CAPTURE(k);
            const SessionList::Entry entry = list.entry(k);
            REQUIRE(entry.totals.started_at == expected[k].totals.started_at);
            REQUIRE(entry.first_seen == expected[k].first_seen);
            REQUIRE(entry.id == expected[k].id);
        }
    }
}

TEST_CASE("merging a later part's session list takes its sessions after these, renumbered", "[session_list]") {
    std::vector<Session> earlier_sessions;
    std::vector<Session> later_sessions;
    for (std::uint64_t k = 0; k < 5000; ++k) {
        // Enough to fill several pages in each part.
        (k < 2500 ? earlier_sessions : later_sessions)
            .push_back(session("20250101T000000Z-" + std::to_string(1000 + k).substr(0, 4),
                               1'700'000'000 + static_cast<std::int64_t>(k) * 600, k % 2500, {static_cast<std::uint32_t>(k % 3)}));
    }
    SECTION("tiers numbered alike in both parts") {
        SessionList earlier;
        SessionList later;
        for (const Session& s : earlier_sessions) add(earlier, s);
        for (const Session& s : later_sessions) add(later, s);
        const std::vector<std::uint32_t> same{0, 1, 2};
        earlier.merge(std::move(later), 2500, same);
        REQUIRE(earlier.size() == 5000);
        CHECK(later.empty());
        for (Session& s : later_sessions) s.first_seen += 2500;
        for (std::size_t k = 0; k < 2500; ++k) check_entry(earlier, k, earlier_sessions[k]);
        for (std::size_t k = 0; k < 2500; ++k) check_entry(earlier, 2500 + k, later_sessions[k]);
        // Sessions added after the merge go on after the later part's.
        const Session after = session("after", 1, 9999, {1});
        add(earlier, after);
        check_entry(earlier, 5000, after);
        earlier.sort_by_start();
        check_entry(earlier, 0, after);
    }
    SECTION("a tier the bank lacks numbered differently in each part") {
        SessionList earlier;
        SessionList later;
        for (const Session& s : earlier_sessions) add(earlier, s);
        for (Session& s : later_sessions) {
            s.tiers = {0, 2};
            add(later, s);
        }
        // The later part's tier 2 is tier 1 here, and its tier 1 is tier 2: tiers stay ascending.
        const std::vector<std::uint32_t> swapped{0, 2, 1};
        earlier.merge(std::move(later), 2500, swapped);
        for (Session& s : later_sessions) {
            s.first_seen += 2500;
            s.tiers = {0, 1};
        }
        REQUIRE(earlier.size() == 5000);
        for (std::size_t k = 0; k < 2500; ++k) check_entry(earlier, 2500 + k, later_sessions[k]);
    }
}
