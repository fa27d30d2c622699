#include "ehrprep/time.hpp"

#include <cmath>
#include <iterator>
#include <optional>

#include <fmt/format.h>

namespace ehrprep {
namespace {

using namespace std::chrono;

using FractionalDays = duration<double, days::period>;

// The number written in `count` digits at `from`, digits only: no sign, no spaces.
std::optional<unsigned> digits(std::string_view text, std::size_t from, std::size_t count) {
    unsigned value = 0;
    for (std::size_t k = from; k < from + count; ++k) {
        if (text[k] < '0' || text[k] > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(text[k] - '0');
    }
    return value;
}

// The date whose year, month and day are the digits at these places, when it is on the calendar.
std::optional<Date> date_at(std::string_view text, std::size_t y_at, std::size_t m_at, std::size_t d_at) {
    const auto y = digits(text, y_at, 4), m = digits(text, m_at, 2), d = digits(text, d_at, 2);
    if (!y || !m || !d) return std::nullopt;
    const year_month_day date{year{static_cast<int>(*y)}, month{*m}, day{*d}};
    if (!date.ok()) return std::nullopt;
    return sys_days{date};
}

// The time into a day whose hour, minute and second are the digits at these places. Second 60
// is a leap second, which the count since the epoch folds into the next minute.
std::optional<seconds> time_at(std::string_view text, std::size_t h_at, std::size_t m_at, std::size_t s_at,
                               unsigned last_second) {
    const auto h = digits(text, h_at, 2), m = digits(text, m_at, 2), s = digits(text, s_at, 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > last_second) return std::nullopt;
    return hours{*h} + minutes{*m} + seconds{*s};
}

// "YYYY-MM-DD" at the start of `text`, when it is a date on the calendar.
std::optional<Date> calendar_date(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    return date_at(text, 0, 5, 8);
}

// No offset from UTC reaches a day and two hours (they run from -12 to +14 hours).
constexpr auto kFarthestOffset = hours{26};

}  // namespace

Timestamp to_timestamp(system_clock::time_point time) { return floor<seconds>(time); }

std::string format_utc(Timestamp time) {
    std::string out;
    append_utc(out, time);
    return out;
}

namespace {

// `time` as "2026-11-30T09:05:00Z", or with `compact` as "20261130T090500Z".
void append_time(std::string& out, Timestamp time, bool compact) {
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    const int year = static_cast<int>(date.year());
    if (year >= 0 && year <= 9999) {
        // Digit by digit: a report writes two of these for each of its sessions.
        char text[20];
        std::size_t length = 0;
        auto put = [&](unsigned value, std::size_t width) {
            for (std::size_t k = width; k-- > 0; value /= 10) text[length + k] = static_cast<char>('0' + value % 10);
            length += width;
        };
        auto separate = [&](char separator) {
            if (!compact) text[length++] = separator;
        };
        put(static_cast<unsigned>(year), 4);
        separate('-');
        put(static_cast<unsigned>(date.month()), 2);
        separate('-');
        put(static_cast<unsigned>(date.day()), 2);
        text[length++] = 'T';
        put(static_cast<unsigned>(clock.hours().count()), 2);
        separate(':');
        put(static_cast<unsigned>(clock.minutes().count()), 2);
        separate(':');
        put(static_cast<unsigned>(clock.seconds().count()), 2);
        text[length++] = 'Z';
        out.append(text, length);
        return;
    }
    const auto month = static_cast<unsigned>(date.month());
    const auto day_of_month = static_cast<unsigned>(date.day());
    if (compact)
        fmt::format_to(std::back_inserter(out), "{:04}{:02}{:02}T{:02}{:02}{:02}Z", year, month, day_of_month,
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count());
    else
        fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year, month, day_of_month,
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

}  // namespace

void append_utc(std::string& out, Timestamp time) { append_time(out, time, false); }

void append_compact_utc(std::string& out, Timestamp time) { append_time(out, time, true); }

std::optional<Timestamp> parse_compact_utc(std::string_view text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    // No leap second: it would be written back as the next minute's first.
    const auto date = date_at(text, 0, 4, 6);
    const auto time = time_at(text, 9, 11, 13, 59);
    if (!date || !time) return std::nullopt;
    return Timestamp{*date} + *time;
}

Result<Timestamp> parse_utc(std::string_view text) {
    auto bad = [&] { return Error{fmt::format("'{}' is not a UTC time like 2026-11-30T09:05:00Z", text)}; };
    if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') return bad();
    const auto date = calendar_date(text);
    const auto time = time_at(text, 11, 14, 17, 60);
    if (!date || !time) return bad();
    return Timestamp{*date} + *time;
}

std::string format_date(Date date) {
    const year_month_day ymd{date};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

Result<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4) || !digits(text, 5, 2) ||
        !digits(text, 8, 2))
        return Error{fmt::format("'{}' is not a date like 2026-11-30", text)};
    const auto date = calendar_date(text);
    if (!date) return Error{fmt::format("'{}' is not a date on the calendar", text)};
    return *date;
}

Date local_date(Timestamp time, seconds utc_offset) { return floor<days>(time + utc_offset); }

std::string format_day(Date day, Date today) {
    static constexpr std::string_view kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const year_month_day ymd{day};
    const year_month_day now{today};
    std::string out = fmt::format("{} {} {}", kWeekdays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                                  kMonths[static_cast<unsigned>(ymd.month()) - 1]);
    if (ymd.year() != now.year()) out += fmt::format(" {}", static_cast<int>(ymd.year()));
    return out;
}

std::string relative_day(Date day, Date today) {
    const auto ahead = (day - today).count();
    if (ahead == 0) return "today";
    if (ahead == 1) return "tomorrow";
    if (ahead == -1) return "yesterday";
    return ahead > 0 ? fmt::format("in {} days", ahead) : fmt::format("{} days ago", -ahead);
}

std::string format_time_of_day(Timestamp time, seconds utc_offset) {
    const auto local = time + utc_offset;
    const hh_mm_ss clock{local - floor<days>(local)};
    return fmt::format("{:02}:{:02}", clock.hours().count(), clock.minutes().count());
}

Timestamp UtcOffset::start_of(Date day) const {
    const Timestamp midnight{day};
    if (!at_) return midnight - fixed_;
    // The local date never goes back as time goes on (a clock set back at midnight aside), so
    // the day's first second is found by halving.
    Timestamp before = midnight - kFarthestOffset;  // still the day before everywhere
    Timestamp from = midnight + kFarthestOffset;    // already `day` or later everywhere
    while (from - before > seconds{1}) {
        const Timestamp middle = before + (from - before) / 2;
        (date_of(middle) < day ? before : from) = middle;
    }
    return from;
}

bool UtcOffset::on_or_after(Timestamp time, Date day) const {
    const Timestamp midnight{day};
    if (time >= midnight + kFarthestOffset) return true;
    if (time < midnight - kFarthestOffset) return false;
    return date_of(time) >= day;
}

std::string LocalTime::day_and_time(Timestamp time) const {
    return fmt::format("{}, {}", day(time), format_time_of_day(time, offset_at(time)));
}

double days_between(Timestamp from, Timestamp to) { return FractionalDays(to - from).count(); }

Timestamp add_days(Timestamp time, double days) { return time + round<seconds>(FractionalDays(days)); }

}  // namespace ehrprep
