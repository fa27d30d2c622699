#include "ehrprep/daily_tallies.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <utility>
#include <vector>

using namespace ehrprep;

namespace {

Date day(int n) { return Date{std::chrono::days{n}}; }

// (day, column) -> (units, scored): what a table should hold, summed plainly.
using Sums = std::map<std::pair<int, std::uint32_t>, std::pair<std::uint64_t, std::uint64_t>>;

// Every day once, in order, with the sums expected, and no others; the table is drained.
void check_drained(DailyTallies& table, const Sums& expected, std::uint32_t columns) {
    std::vector<int> days_seen;
    Sums seen;
    table.drain([&](Date date, auto tally) {
        const int d = static_cast<int>(date.time_since_epoch().count());
        days_seen.push_back(d);
        for (std::uint32_t column = 0; column < columns; ++column) {
            const CoverageTally t = tally(column);
            if (t.scored != 0 || t.units != 0) seen[{d, column}] = {t.units, t.scored};
        }
    });
    CHECK(std::is_sorted(days_seen.begin(), days_seen.end()));
    CHECK(std::adjacent_find(days_seen.begin(), days_seen.end()) == days_seen.end());
    Sums nonzero;
    for (const auto& [key, sums] : expected)
        if (sums.first != 0 || sums.second != 0) nonzero[key] = sums;
    CHECK(seen == nonzero);
    CHECK(table.rows() == 0);
}

}  // namespace

TEST_CASE("daily tallies sum each day's columns once, in date order, however days arrive", "[daily_tallies]") {
    std::mt19937 rng(11);
    auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    // In order, in order with a few stragglers, and jumbled over many days: enough rows that
    // the table tidies itself while adding, not only when drained.
    for (const int jumble : {0, 50, 1000}) {
        CAPTURE(jumble);
        DailyTallies table(3);
        Sums expected;
        for (int k = 0; k < 20'000; ++k) {
            int d = k / 7;
            if (jumble > 0 && below(jumble) == 0) d = below(3000);
            if (jumble == 1000) d = below(3000);
            const auto column = static_cast<std::uint32_t>(below(4));
            const auto units = static_cast<std::uint64_t>(below(1'000'000));
            table.add(day(d), column, units, 1);
            auto& sums = expected[{d, column}];
            sums.first += units;
            sums.second += 1;
        }
        check_drained(table, expected, 4);
    }
}

TEST_CASE("daily tallies keep tiers past those made room for apart, day by day", "[daily_tallies]") {
    DailyTallies table(1);
    table.add(day(5), DailyTallies::kOverall, 10, 1);
    table.add(day(5), DailyTallies::column_of(0), 10, 1);
    table.add(day(3), DailyTallies::column_of(6), 7, 2);  // tier 6, on an earlier day with no row yet
    table.add(day(5), DailyTallies::column_of(2), 4, 1);
    table.add(day(3), DailyTallies::column_of(6), 1, 1);
    table.tidy();
    REQUIRE(table.rows() == 2);
    CHECK(table.day(0) == day(3));
    CHECK(table.tally(0, DailyTallies::column_of(6)).units == 8);
    CHECK(table.tally(0, DailyTallies::column_of(6)).scored == 3);
    CHECK(table.tally(1, DailyTallies::column_of(0)).units == 10);
    CHECK(table.tally(1, DailyTallies::column_of(2)).units == 4);
    CHECK(table.tally(1, DailyTallies::column_of(6)).scored == 0);  // not on that day
    CHECK(table.tally(1, DailyTallies::column_of(40)).scored == 0);
    CHECK(table.tally(0, DailyTallies::kOverall).stats().mean() == std::nullopt);
}

TEST_CASE("daily tallies of thousands of tiers, each on its own day, are summed one by one", "[daily_tallies]") {
    // A row per day and a column per tier would hold nine million cells here.
    DailyTallies table(2);
    Sums expected;
    for (int k = 0; k < 3000; ++k) {
        const int d = (k * 7919) % 3000;  // days out of order
        const std::uint32_t column = DailyTallies::column_of(static_cast<std::uint32_t>(2 + k));
        table.add(day(d), DailyTallies::kOverall, 5, 1);
        table.add(day(d), column, 5, 1);
        expected[{d, DailyTallies::kOverall}] = {5, 1};
        expected[{d, column}] = {5, 1};
    }
    std::size_t days = 0;
    Sums seen;
    table.drain([&](Date date, auto tally) {
        ++days;
        const int d = static_cast<int>(date.time_since_epoch().count());
        const std::uint32_t column = DailyTallies::column_of(static_cast<std::uint32_t>(2 + (d * 1679) % 3000));
        for (const std::uint32_t c : {DailyTallies::kOverall, column, column + 1}) {
            const CoverageTally t = tally(c);
            if (t.scored != 0) seen[{d, c}] = {t.units, t.scored};
        }
    });
    CHECK(days == 3000);
    CHECK(seen == expected);
}

TEST_CASE("merging daily tallies adds a later part's days, its tiers renumbered", "[daily_tallies]") {
    DailyTallies earlier(2);
    DailyTallies later(2);
    Sums expected;
    for (int d = 0; d < 3000; ++d) {
        // The parts overlap in the middle, as the days of sessions open at a split do.
        DailyTallies& part = d < 1600 ? earlier : later;
        const int at = d < 1600 ? d : d - 200;
        part.add(day(at), DailyTallies::kOverall, 100, 1);
        part.add(day(at), DailyTallies::column_of(static_cast<std::uint32_t>(d % 2)), 100, 1);
        auto& overall = expected[{at, DailyTallies::kOverall}];
        overall.first += 100;
        overall.second += 1;
        // The later part's tier 0 is tier 1 here, and its tier 1 is tier 0.
        const std::uint32_t tier = d < 1600 ? static_cast<std::uint32_t>(d % 2) : static_cast<std::uint32_t>(1 - d % 2);
        auto& sums = expected[{at, DailyTallies::column_of(tier)}];
        sums.first += 100;
        sums.second += 1;
    }
    // A tier past those made room for, in the later part only.
    later.add(day(2000), DailyTallies::column_of(5), 9, 3);
    auto& beyond = expected[{2000, DailyTallies::column_of(5)}];
    beyond.first += 9;
    beyond.second += 3;
    earlier.merge(later, {1, 0, 2, 3, 4, 5});
    check_drained(earlier, expected, 7);
}
