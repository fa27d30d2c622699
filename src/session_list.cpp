#include "ehrprep/session_list.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace ehrprep {
namespace {

// A record: the start in eight bytes and first_seen in five, so that sorting reads them in
// place and a merge adds to first_seen in place, then varints of the length of the session, the
// tally and the tiers, then the id. Five bytes number a trillion sessions, far more than a
// history could hold.
constexpr std::size_t kPageBytes = std::size_t{64} << 10;
constexpr std::size_t kStartBytes = 8;
constexpr std::size_t kFirstSeenBytes = 5;

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::uint64_t get_varint(const char*& at) {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
        const auto byte = static_cast<unsigned char>(*at++);
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (byte < 0x80) return value;
    }
}

std::int64_t get_start(const char* record) {
    std::int64_t seconds = 0;
    std::memcpy(&seconds, record, sizeof seconds);
    return seconds;
}

std::uint64_t get_first_seen(const char* record) {
    std::uint64_t first_seen = 0;
    for (std::size_t k = kFirstSeenBytes; k-- > 0;)
        first_seen = first_seen << 8 | static_cast<unsigned char>(record[kStartBytes + k]);
    return first_seen;
}

void set_first_seen(char* record, std::uint64_t first_seen) {
    for (std::size_t k = 0; k < kFirstSeenBytes; ++k, first_seen >>= 8)
        record[kStartBytes + k] = static_cast<char>(first_seen & 0xff);
}

// The best coverage mostly has the history's four places and packs into two or three bytes;
// any other (a hand-edited history, or -0) is kept whole, so that what is listed is what was read.
void put_highest(std::string& out, double highest) {
    const double places = std::round(highest * 10'000.0);
    if (!std::signbit(highest) && places <= 10'000.0 && places / 10'000.0 == highest) {
        put_varint(out, static_cast<std::uint64_t>(places) << 1);
        return;
    }
    put_varint(out, 1);
    char bytes[sizeof highest];
    std::memcpy(bytes, &highest, sizeof highest);
    out.append(bytes, sizeof bytes);
}

double get_highest(const char*& at) {
    const std::uint64_t tag = get_varint(at);
    if ((tag & 1) == 0) return static_cast<double>(tag >> 1) / 10'000.0;
    double highest = 0.0;
    std::memcpy(&highest, at, sizeof highest);
    at += sizeof highest;
    return highest;
}

// An id as a quiz writes it, "20261130T091500Z-ab12": the second the session began and four hex
// digits. Most ids are of this form, and it packs into four or five bytes rather than twenty-two.
struct QuizId {
    std::int64_t seconds = 0;
    std::uint16_t suffix = 0;
};

std::optional<QuizId> parse_quiz_id(std::string_view id) {
    if (id.size() != 21 || id[8] != 'T' || id[15] != 'Z' || id[16] != '-') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
        int value = 0;
        for (std::size_t k = from; k < from + length; ++k) {
            if (id[k] < '0' || id[k] > '9') return std::nullopt;
            value = value * 10 + (id[k] - '0');
        }
        return value;
    };
    const auto y = number(0, 4), mo = number(4, 2), d = number(6, 2);
    const auto h = number(9, 2), mi = number(11, 2), sec = number(13, 2);
    if (!y || !mo || !d || !h || !mi || !sec || *h > 23 || *mi > 59 || *sec > 59) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*mo)},
                                           std::chrono::day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    QuizId out;
    for (std::size_t k = 17; k < 21; ++k) {
        const char c = id[k];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
        out.suffix = static_cast<std::uint16_t>(out.suffix << 4 | (c <= '9' ? c - '0' : c - 'a' + 10));
    }
    const auto at = std::chrono::sys_days{date} + std::chrono::hours{*h} + std::chrono::minutes{*mi} +
                    std::chrono::seconds{*sec};
    out.seconds = at.time_since_epoch().count();
    return out;
}

std::string format_quiz_id(QuizId id) {
    const Timestamp at{Timestamp::duration{id.seconds}};
    const auto day = std::chrono::floor<std::chrono::days>(at);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{at - day};
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z-{:04x}", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                       time.minutes().count(), time.seconds().count(), id.suffix);
}

std::uint64_t zigzag(std::int64_t value) {
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t unzigzag(std::uint64_t value) {
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

// A quiz's id is a 0 then the seconds from its time to the session's start and its digits;
// any other id is its length plus one, then its bytes.
void put_id(std::string& out, std::string_view id, std::int64_t started) {
    if (const auto quiz = parse_quiz_id(id)) {
        put_varint(out, 0);
        put_varint(out, zigzag(started - quiz->seconds));
        out.push_back(static_cast<char>(quiz->suffix >> 8));
        out.push_back(static_cast<char>(quiz->suffix & 0xff));
        return;
    }
    put_varint(out, id.size() + 1);
    out.append(id);
}

std::string get_id(const char*& at, std::int64_t started) {
    const std::uint64_t tag = get_varint(at);
    if (tag == 0) {
        QuizId quiz;
        quiz.seconds = started - unzigzag(get_varint(at));
        quiz.suffix = static_cast<std::uint16_t>(static_cast<unsigned char>(at[0]) << 8 | static_cast<unsigned char>(at[1]));
        at += 2;
        return format_quiz_id(quiz);
    }
    std::string id(at, tag - 1);
    at += tag - 1;
    return id;
}

void pack(std::string& out, std::string_view id, const SessionList::Totals& totals, std::uint64_t first_seen,
          std::span<const std::uint32_t> tiers) {
    out.clear();
    const std::int64_t started = totals.started_at.time_since_epoch().count();
    char start[sizeof started];
    std::memcpy(start, &started, sizeof started);
    out.append(start, sizeof start);
    out.append(kFirstSeenBytes, '\0');
    set_first_seen(out.data(), first_seen);
    // Unsigned, so that the span of a session however long cannot overflow.
    put_varint(out, static_cast<std::uint64_t>(totals.ended_at.time_since_epoch().count()) -
                        static_cast<std::uint64_t>(started));
    put_varint(out, totals.coverage.units);
    put_highest(out, totals.coverage.highest);
    put_varint(out, totals.coverage.attempts);
    put_varint(out, totals.coverage.scored);
    put_varint(out, tiers.size());
    for (std::uint32_t tier : tiers) put_varint(out, tier);
    put_id(out, id, started);
}

SessionList::Entry unpack(const char* at) {
    SessionList::Entry entry;
    const std::int64_t started = get_start(at);
    entry.totals.started_at = Timestamp{Timestamp::duration{started}};
    entry.first_seen = get_first_seen(at);
    at += kStartBytes + kFirstSeenBytes;
    entry.totals.ended_at =
        Timestamp{Timestamp::duration{static_cast<std::int64_t>(static_cast<std::uint64_t>(started) + get_varint(at))}};
    entry.totals.coverage.units = get_varint(at);
    entry.totals.coverage.highest = get_highest(at);
    entry.totals.coverage.attempts = static_cast<std::uint32_t>(get_varint(at));
    entry.totals.coverage.scored = static_cast<std::uint32_t>(get_varint(at));
    entry.tiers.resize(get_varint(at));
    for (std::uint32_t& tier : entry.tiers) tier = static_cast<std::uint32_t>(get_varint(at));
    entry.id = get_id(at, started);
    return entry;
}

}  // namespace

const char* SessionList::record(std::uint64_t where) const {
    return pages_[where >> 32].data() + (where & 0xffff'ffffU);
}

void SessionList::add(std::string_view id, const Totals& totals, std::uint64_t first_seen,
                      std::span<const std::uint32_t> tiers) {
    pack(scratch_, id, totals, first_seen, tiers);
    if (pages_.empty() || used_ + scratch_.size() > pages_.back().size()) {
        // A record longer than a page (an id of many kilobytes) has a page of its own.
        pages_.emplace_back(std::max(kPageBytes, scratch_.size()));
        used_ = 0;
    }
    records_.push_back(static_cast<std::uint64_t>(pages_.size() - 1) << 32 | used_);
    std::memcpy(pages_.back().data() + used_, scratch_.data(), scratch_.size());
    used_ += scratch_.size();
}

void SessionList::merge(SessionList&& later, std::uint64_t first_seen_offset,
                        std::span<const std::uint32_t> tier_number) {
    bool same_tiers = true;
    for (std::uint32_t t = 0; t < tier_number.size(); ++t) same_tiers = same_tiers && tier_number[t] == t;
    if (same_tiers) {
        // The usual case: the later part's pages are taken over, each record's first_seen
        // changed in place.
        const std::uint64_t first_page = pages_.size();
        for (std::vector<char>& page : later.pages_) pages_.push_back(std::move(page));
        if (!later.pages_.empty()) used_ = later.used_;
        for (const std::uint64_t from : later.records_) {
            const std::uint64_t where = from + (first_page << 32);
            char* at = pages_[where >> 32].data() + (where & 0xffff'ffffU);
            set_first_seen(at, get_first_seen(at) + first_seen_offset);
            records_.push_back(where);
        }
    } else {
        // A tier the history names and the bank lacks was numbered differently in each part.
        std::vector<std::uint32_t> tiers;
        for (const std::uint64_t where : later.records_) {
            Entry entry = unpack(later.record(where));
            tiers.clear();
            for (std::uint32_t tier : entry.tiers) tiers.push_back(tier_number[tier]);
            std::sort(tiers.begin(), tiers.end());
            add(entry.id, entry.totals, entry.first_seen + first_seen_offset, tiers);
        }
    }
    later = SessionList();
}

void SessionList::sort_by_start() {
    auto key = [&](std::uint64_t where) {
        const char* at = record(where);
        return std::pair<std::int64_t, std::uint64_t>(get_start(at), get_first_seen(at));
    };
    auto before = [&](std::uint64_t a, std::uint64_t b) { return key(a) < key(b); };
    // Sessions are mostly added in the order they started, but for those still open when their
    // part of the history ended, added last: a few sorted runs. Each is merged into the ones
    // before it, which needs a buffer only as long as the shorter of the two. Many runs mean
    // start times jumbled, and are sorted instead.
    constexpr std::size_t kMergedRuns = 8;
    std::size_t runs = 0;
    for (auto run = records_.begin(); run != records_.end() && runs <= kMergedRuns; ++runs)
        run = std::is_sorted_until(run, records_.end(), before);
    if (runs > kMergedRuns) {
        std::sort(records_.begin(), records_.end(), before);
        return;
    }
    for (auto sorted = std::is_sorted_until(records_.begin(), records_.end(), before); sorted != records_.end();) {
        const auto run_end = std::is_sorted_until(sorted, records_.end(), before);
        std::inplace_merge(records_.begin(), sorted, run_end, before);
        sorted = run_end;
    }
}

SessionList::Entry SessionList::entry(std::size_t k) const { return unpack(record(records_[k])); }

SessionProgress SessionList::operator[](std::size_t k) const {
    const Entry e = entry(k);
    SessionProgress out{e.id, e.totals.started_at, e.totals.ended_at, e.totals.coverage.stats(), {}};
    for (std::uint32_t tier : e.tiers) out.tiers.emplace_back(tier_id(tier));
    return out;
}

}  // namespace ehrprep
