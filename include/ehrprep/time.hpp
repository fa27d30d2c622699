#pragma once

#include <chrono>
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

// Days, fractions included, from `from` to `to`; negative when `to` comes first.
double days_between(Timestamp from, Timestamp to);

// `time` moved on by `days`, which may have a fraction, to the nearest second.
Timestamp add_days(Timestamp time, double days);

}  // namespace ehrprep
