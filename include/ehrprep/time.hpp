#pragma once

#include <chrono>
#include <functional>
#include <optional>
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

// "20261130T090500Z", the basic form a session id begins with, and back. Only a moment that
// exists, in years 0 to 9999, and to the second as append_compact_utc() writes it, is read.
void append_compact_utc(std::string& out, Timestamp time);
std::optional<Timestamp> parse_compact_utc(std::string_view text);

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

// Someone's offset from UTC at any moment: fixed, or moved by daylight saving time as the
// Clock reports it, so that nothing in the core reads the time zone itself. A day's attempts
// are grouped by the offset in force when each was made, not by the one in force today.
class UtcOffset {
public:
    using At = std::function<std::chrono::seconds(Timestamp)>;

    UtcOffset() = default;
    // Implicit: a fixed offset is an offset.
    template <typename Rep, typename Period>
    UtcOffset(std::chrono::duration<Rep, Period> fixed)  // NOLINT
        : fixed_(std::chrono::duration_cast<std::chrono::seconds>(fixed)) {}
    explicit UtcOffset(At at) : at_(std::move(at)) {}

    [[nodiscard]] std::chrono::seconds at(Timestamp time) const { return at_ ? at_(time) : fixed_; }
    [[nodiscard]] Date date_of(Timestamp time) const { return local_date(time, at(time)); }
    // The first second whose local day is `day` or later.
    [[nodiscard]] Timestamp start_of(Date day) const;
    // Whether `time` falls on local day `day` or later; only a moment near that day's start
    // needs the offset in force then.
    [[nodiscard]] bool on_or_after(Timestamp time, Date day) const;

private:
    std::chrono::seconds fixed_{0};
    At at_;
};

// Moments as a person reads them: the moment a view is made, and their offset from UTC at any
// moment.
class LocalTime {
public:
    using OffsetAt = UtcOffset::At;

    LocalTime(Timestamp now, UtcOffset offset) : now_(now), offset_(std::move(offset)) {}
    LocalTime(Timestamp now, OffsetAt offset_at) : LocalTime(now, UtcOffset(std::move(offset_at))) {}

    [[nodiscard]] Timestamp now() const { return now_; }
    [[nodiscard]] std::chrono::seconds offset_at(Timestamp time) const { return offset_.at(time); }
    [[nodiscard]] Date date_of(Timestamp time) const { return offset_.date_of(time); }
    [[nodiscard]] Date today() const { return date_of(now_); }
    // "Tue 1 Dec"
    [[nodiscard]] std::string day(Timestamp time) const { return format_day(date_of(time), today()); }
    // "Tue 1 Dec, 09:05"
    [[nodiscard]] std::string day_and_time(Timestamp time) const;

private:
    Timestamp now_;
    UtcOffset offset_;
};

// Days, fractions included, from `from` to `to`; negative when `to` comes first.
double days_between(Timestamp from, Timestamp to);

// `time` moved on by `days`, which may have a fraction, to the nearest second.
Timestamp add_days(Timestamp time, double days);

}  // namespace ehrprep
