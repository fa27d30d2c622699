#include "ehrprep/time.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

using namespace ehrprep;
using namespace std::chrono;

namespace {

Timestamp unix_time(long seconds_since_epoch) { return Timestamp{seconds{seconds_since_epoch}}; }

}  // namespace

TEST_CASE("UTC times are written and read as 2026-11-30T09:15:00Z", "[time]") {
    CHECK(format_utc(unix_time(0)) == "1970-01-01T00:00:00Z");
    CHECK(format_utc(unix_time(951'782'400)) == "2000-02-29T00:00:00Z");
    CHECK(format_utc(unix_time(1'796'030'100)) == "2026-11-30T09:15:00Z");
    CHECK(format_utc(unix_time(-1)) == "1969-12-31T23:59:59Z");
    // The first and last seconds a history can name, and a time past them written in full.
    CHECK(format_utc(unix_time(-62'135'596'800)) == "0001-01-01T00:00:00Z");
    CHECK(format_utc(unix_time(253'402'300'799)) == "9999-12-31T23:59:59Z");
    CHECK(format_utc(unix_time(253'402'300'800)) == "10000-01-01T00:00:00Z");
    CHECK(parse_utc("2000-02-29T00:00:00Z").value() == unix_time(951'782'400));
    CHECK(parse_utc("2026-11-30T09:15:00Z").value() == unix_time(1'796'030'100));
    // A leap second counts as the first second of the next minute, as the epoch count has it.
    CHECK(parse_utc("2016-12-31T23:59:60Z").value() == parse_utc("2017-01-01T00:00:00Z").value());
}

TEST_CASE("UTC times in any other form, or on a day that does not exist, are refused", "[time]") {
    for (const char* bad : {"2026-11-30 09:15:00", "2026-11-30T09:15:00", "2026-11-30T09:15:00+00:00",
                            "2026-13-30T09:15:00Z", "2026-02-30T09:15:00Z", "2026-11-30T24:00:00Z",
                            "2026-11-30T09:60:00Z", "+026-11-30T09:15:00Z", " 026-11-30T09:15:00Z",
                            "2026-11-3aT09:15:00Z", ""}) {
        CAPTURE(bad);
        auto parsed = parse_utc(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().message == fmt::format("'{}' is not a UTC time like 2026-11-30T09:05:00Z", bad));
    }
}

TEST_CASE("UTC times are written and read in the basic form a session id begins with", "[time]") {
    for (const char* text : {"2026-11-30T09:15:07Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2028-02-29T12:00:00Z"}) {
        const Timestamp time = parse_utc(text).value();
        std::string compact = "id ";
        append_compact_utc(compact, time);
        std::string expected(text);
        expected.erase(std::remove_if(expected.begin(), expected.end(), [](char c) { return c == '-' || c == ':'; }),
                       expected.end());
        CHECK(compact == "id " + expected);
        CHECK(parse_compact_utc(compact.substr(3)) == time);
    }
    // Only what append_compact_utc writes is read back: anything else would not round-trip.
    for (const char* text : {"20261130T091507", "20261130T091507z", "20261130 091507Z", "2026113OT091507Z",
                             "20260230T091507Z", "20261130T240000Z", "20261130T096000Z", "20261130T091560Z",
                             "2026-11-30T09:15:07Z", "+2026113T091507Z", "20261130T091507Z-"})
        CHECK_FALSE(parse_compact_utc(text));
}

TEST_CASE("dates are read strictly and written as YYYY-MM-DD", "[time]") {
    CHECK(format_date(parse_date("2026-03-10").value()) == "2026-03-10");
    CHECK(format_date(parse_date("2024-02-29").value()) == "2024-02-29");
    CHECK(parse_date("2026-02-30").error().message == "'2026-02-30' is not a date on the calendar");
    CHECK(parse_date("2026-13-01").error().message == "'2026-13-01' is not a date on the calendar");
    for (const char* bad : {"2026-3-10", "10/03/2026", "2026-03-10x", "2026-03-1 ", "+026-03-10"}) {
        CAPTURE(bad);
        auto parsed = parse_date(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().message == fmt::format("'{}' is not a date like 2026-11-30", bad));
    }
}

TEST_CASE("the local date of a time follows the UTC offset across midnight", "[time]") {
    const Timestamp evening = parse_utc("2026-03-08T20:00:00Z").value();
    CHECK(format_date(local_date(evening, seconds{0})) == "2026-03-08");
    CHECK(format_date(local_date(evening, hours{5})) == "2026-03-09");
    CHECK(format_date(local_date(evening, hours{-21})) == "2026-03-07");
    CHECK(format_date(local_date(evening, hours{4})) == "2026-03-09");    // midnight itself is the new day
    CHECK(format_date(local_date(evening - seconds{1}, hours{4})) == "2026-03-08");
}

TEST_CASE("days between two times count fractions, and days added are rounded to the second", "[time]") {
    const Timestamp start = parse_utc("2026-03-01T00:00:00Z").value();
    CHECK(days_between(start, start + hours{36}) == 1.5);
    CHECK(days_between(start + hours{36}, start) == -1.5);
    CHECK(add_days(start, 1.5) == start + hours{36});
    CHECK(add_days(start, 7) == parse_utc("2026-03-08T00:00:00Z").value());
    CHECK(add_days(start, 1.0 / 86400.0 / 3.0) == start);  // a third of a second
    CHECK(add_days(start, -0.5) == start - hours{12});
}

TEST_CASE("days are written as people write them, with the year only when it is not this one", "[time]") {
    const Date today = parse_date("2026-11-30").value();
    CHECK(format_day(parse_date("2026-12-01").value(), today) == "Tue 1 Dec");
    CHECK(format_day(today, today) == "Mon 30 Nov");
    CHECK(format_day(parse_date("2025-12-01").value(), today) == "Mon 1 Dec 2025");
    CHECK(format_day(parse_date("2027-01-04").value(), today) == "Mon 4 Jan 2027");
}

TEST_CASE("a day is said relative to today in words", "[time]") {
    const Date today = parse_date("2026-11-30").value();
    CHECK(relative_day(today, today) == "today");
    CHECK(relative_day(today + days{1}, today) == "tomorrow");
    CHECK(relative_day(today - days{1}, today) == "yesterday");
    CHECK(relative_day(today + days{2}, today) == "in 2 days");
    CHECK(relative_day(today - days{12}, today) == "12 days ago");
}

TEST_CASE("local times follow the offset at each moment, as daylight saving time moves it", "[time]") {
    const Timestamp now = parse_utc("2026-11-30T09:15:00Z").value();
    // UTC+2 in summer, UTC+1 in winter, changing on 2026-10-25.
    const Timestamp change = parse_utc("2026-10-25T01:00:00Z").value();
    const LocalTime local(now, [change](Timestamp at) { return at < change ? hours{2} : hours{1}; });
    CHECK(local.today() == parse_date("2026-11-30").value());
    CHECK(local.day_and_time(now) == "Mon 30 Nov, 10:15");
    CHECK(local.day_and_time(parse_utc("2026-07-01T22:30:00Z").value()) == "Thu 2 Jul, 00:30");
    CHECK(local.day(parse_utc("2026-07-01T22:30:00Z").value()) == "Thu 2 Jul");
    CHECK(format_time_of_day(now, -hours{10}) == "23:15");
    const LocalTime fixed(now, -hours{10});
    CHECK(fixed.today() == parse_date("2026-11-29").value());
}

TEST_CASE("a local day starts at its own offset, fixed or moved by daylight saving time", "[time]") {
    const Date day = parse_date("2026-03-29").value();
    CHECK(UtcOffset(hours{2}).start_of(day) == parse_utc("2026-03-28T22:00:00Z").value());
    CHECK(UtcOffset(-hours{5}).start_of(day) == parse_utc("2026-03-29T05:00:00Z").value());
    // UTC+1 in winter, UTC+2 from 01:00 UTC on the 29th: that day began at UTC+1, the next at
    // UTC+2.
    const Timestamp change = parse_utc("2026-03-29T01:00:00Z").value();
    const UtcOffset central([change](Timestamp at) { return at < change ? hours{1} : hours{2}; });
    CHECK(central.start_of(day) == parse_utc("2026-03-28T23:00:00Z").value());
    CHECK(central.start_of(day + days{1}) == parse_utc("2026-03-29T22:00:00Z").value());
    CHECK(central.date_of(parse_utc("2026-03-29T22:30:00Z").value()) == day + days{1});
    CHECK(central.date_of(parse_utc("2026-03-28T22:30:00Z").value()) == day - days{1});
}
