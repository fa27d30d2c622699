#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "ehrprep/result.hpp"

namespace ehrprep {

// A moment to the second, in UTC: how the history records when an attempt started and how
// review dates are kept and compared.
using Timestamp = std::chrono::sys_seconds;

// A day of the calendar, for "today", filters and streaks.
using Date = std::chrono::sys_days;

// A clock reading to the whole second.
Timestamp to_timestamp(std::chrono::system_clock::time_point time);

// "2026-11-30T09:05:00Z" and back. Only that form is read, and only for a date that exists.
std::string format_utc(Timestamp time);
void append_utc(std::string& out, Timestamp time);  // the same text, added to `out`
Result<Timestamp> parse_utc(std::string_view text);

// "2026-11-30" and back; rejects dates that do not exist (2026-02-30).
std::string format_date(Date date);
Result<Date> parse_date(std::string_view text);

// The calendar day of `time` for someone `utc_offset` from UTC.
Date local_date(Timestamp time, std::chrono::seconds utc_offset);

// "Tue 1 Dec", as people write a day near `today`; with the year when it is another year's:
// "Tue 1 Dec 2025".
std::string format_day(Date day, Date today);

// "today", "tomorrow", "yesterday", "in 3 days", "3 days ago".
std::string relative_day(Date day, Date today);

// "09:05": the time of day of `time` for someone `utc_offset` from UTC.
std::string format_time_of_day(Timestamp time, std::chrono::seconds utc_offset);

// Moments as a person reads them: the moment a view is made, and their offset from UTC at any
// moment, which daylight saving time moves. Made from the Clock, so that nothing in the core
// reads the time zone itself.
class LocalTime {
public:
    using OffsetAt = std::function<std::chrono::seconds(Timestamp)>;

    LocalTime(Timestamp now, OffsetAt offset_at) : now_(now), offset_at_(std::move(offset_at)) {}
    LocalTime(Timestamp now, std::chrono::seconds fixed_offset)
        : LocalTime(now, [fixed_offset](Timestamp) { return fixed_offset; }) {}

    [[nodiscard]] Timestamp now() const { return now_; }
    [[nodiscard]] std::chrono::seconds offset_at(Timestamp time) const { return offset_at_(time); }
    [[nodiscard]] Date date_of(Timestamp time) const { return local_date(time, offset_at(time)); }
    [[nodiscard]] Date today() const { return date_of(now_); }
    // "Tue 1 Dec"
    [[nodiscard]] std::string day(Timestamp time) const { return format_day(date_of(time), today()); }
    // "Tue 1 Dec, 09:05"
    [[nodiscard]] std::string day_and_time(Timestamp time) const;

private:
    Timestamp now_;
    OffsetAt offset_at_;
};

// Days, fractions included, from `from` to `to`; negative when `to` comes first.
double days_between(Timestamp from, Timestamp to);

// `time` moved on by `days`, which may have a fraction, to the nearest second.
Timestamp add_days(Timestamp time, double days);

}  // namespace ehrprep
