#include "ehrprep/session_list.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "ehrprep/varint.hpp"

namespace ehrprep {
namespace {

// A record: varints of its start and first_seen less its page's, so that sorting reads them
// first, then of the length of the session, the tally and the tiers, then the id.
constexpr std::size_t kPageBytes = std::size_t{64} << 10;

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

// Coverage the history gives to four places sums to a multiple of ten thousand units: those
// sums are kept divided, with a 0 bit, which saves two bytes; any other is kept whole, with a 1 bit.
constexpr std::uint64_t kUnitsPerPlace = 10'000;

void put_units(std::string& out, std::uint64_t units) {
    if (units % kUnitsPerPlace == 0) put_varint(out, units / kUnitsPerPlace << 1);
    else put_varint(out, units << 1 | 1);
}

std::uint64_t get_units(const char*& at) {
    const std::uint64_t tagged = get_varint(at);
    return (tagged & 1) == 0 ? (tagged >> 1) * kUnitsPerPlace : tagged >> 1;
}

// Tiers below 63, all a bank's in practice, are one bit each, with a 0 bit: a byte for six.
// Others are a count, with a 1 bit, then each number.
constexpr std::uint32_t kTierBits = 63;

void put_tiers(std::string& out, std::span<const std::uint32_t> tiers) {
    if (std::all_of(tiers.begin(), tiers.end(), [](std::uint32_t t) { return t < kTierBits; })) {
        std::uint64_t bits = 0;
        for (std::uint32_t tier : tiers) bits |= std::uint64_t{1} << tier;
        put_varint(out, bits << 1);
        return;
    }
    put_varint(out, std::uint64_t{tiers.size()} << 1 | 1);
    for (std::uint32_t tier : tiers) put_varint(out, tier);
}

void get_tiers(const char*& at, std::vector<std::uint32_t>& tiers) {
    const std::uint64_t tagged = get_varint(at);
    tiers.clear();
    if ((tagged & 1) == 0) {
        for (std::uint64_t bits = tagged >> 1; bits != 0; bits &= bits - 1)
            tiers.push_back(static_cast<std::uint32_t>(std::countr_zero(bits)));
        return;
    }
    tiers.resize(tagged >> 1);
    for (std::uint32_t& tier : tiers) tier = static_cast<std::uint32_t>(get_varint(at));
}

// An id as a quiz writes it, "20261130T091500Z-ab12": the second the session began and four hex
// digits. Most ids are of this form, and it packs into four or five bytes rather than twenty-two.
struct QuizId {
    std::int64_t seconds = 0;
    std::uint16_t suffix = 0;
};

constexpr std::string_view kHexDigits = "0123456789abcdef";

std::optional<QuizId> parse_quiz_id(std::string_view id) {
    if (id.size() != 21 || id[16] != '-') return std::nullopt;
    const std::optional<Timestamp> at = parse_compact_utc(id.substr(0, 16));
    if (!at) return std::nullopt;
    QuizId out{at->time_since_epoch().count(), 0};
    for (const char c : id.substr(17)) {
        const std::size_t digit = kHexDigits.find(c);
        if (digit == std::string_view::npos) return std::nullopt;
        out.suffix = static_cast<std::uint16_t>(out.suffix << 4 | digit);
    }
    return out;
}

void format_quiz_id(QuizId id, std::string& out) {
    out.clear();
    append_compact_utc(out, Timestamp{Timestamp::duration{id.seconds}});
    out += '-';
    for (int shift = 12; shift >= 0; shift -= 4) out += kHexDigits[id.suffix >> shift & 0xf];
}

// A quiz's id is a 0 then the seconds from its time to the session's start and its digits;
// any other id is its length plus one, then its bytes.
void put_id(std::string& out, std::string_view id, std::int64_t started) {
    if (const auto quiz = parse_quiz_id(id)) {
        put_varint(out, 0);
        put_varint(out, zigzag_difference(quiz->seconds, started));
        out.push_back(static_cast<char>(quiz->suffix >> 8));
        out.push_back(static_cast<char>(quiz->suffix & 0xff));
        return;
    }
    put_varint(out, id.size() + 1);
    out.append(id);
}

void get_id(const char*& at, std::int64_t started, std::string& id) {
    const std::uint64_t tag = get_varint(at);
    if (tag == 0) {
        QuizId quiz;
        quiz.seconds = add_zigzag_difference(started, get_varint(at));
        quiz.suffix = static_cast<std::uint16_t>(static_cast<unsigned char>(at[0]) << 8 | static_cast<unsigned char>(at[1]));
        at += 2;
        format_quiz_id(quiz, id);
        return;
    }
    id.assign(at, tag - 1);
    at += tag - 1;
}

void pack(std::string& out, std::string_view id, const SessionList::Totals& totals, std::uint64_t first_seen,
          std::span<const std::uint32_t> tiers, std::int64_t start_base, std::uint64_t first_seen_base) {
    out.clear();
    const std::int64_t started = totals.started_at.time_since_epoch().count();
    put_varint(out, zigzag_difference(started, start_base));
    put_varint(out, zigzag_difference(static_cast<std::int64_t>(first_seen), static_cast<std::int64_t>(first_seen_base)));
    put_varint(out, zigzag_difference(totals.ended_at.time_since_epoch().count(), started));
    put_units(out, totals.coverage.units);
    put_highest(out, totals.coverage.highest);
    put_varint(out, totals.coverage.attempts);
    put_varint(out, totals.coverage.scored);
    put_tiers(out, tiers);
    put_id(out, id, started);
}

}  // namespace

// A record's start and first_seen.
std::pair<std::int64_t, std::uint64_t> SessionList::key(std::uint64_t where) const {
    const Page& page = pages_[where >> 32];
    const char* at = page.bytes.data() + (where & 0xffff'ffffU);
    const std::int64_t started = add_zigzag_difference(page.start_base, get_varint(at));
    return {started, static_cast<std::uint64_t>(add_zigzag_difference(static_cast<std::int64_t>(page.first_seen_base),
                                                               get_varint(at)))};
}

void SessionList::unpack(std::uint64_t where, Entry& entry) const {
    const Page& page = pages_[where >> 32];
    const char* at = page.bytes.data() + (where & 0xffff'ffffU);
    const std::int64_t started = add_zigzag_difference(page.start_base, get_varint(at));
    entry.totals.started_at = Timestamp{Timestamp::duration{started}};
    entry.first_seen =
        static_cast<std::uint64_t>(add_zigzag_difference(static_cast<std::int64_t>(page.first_seen_base), get_varint(at)));
    entry.totals.ended_at = Timestamp{Timestamp::duration{add_zigzag_difference(started, get_varint(at))}};
    entry.totals.coverage.units = get_units(at);
    entry.totals.coverage.highest = get_highest(at);
    entry.totals.coverage.attempts = static_cast<std::uint32_t>(get_varint(at));
    entry.totals.coverage.scored = static_cast<std::uint32_t>(get_varint(at));
    get_tiers(at, entry.tiers);
    get_id(at, started, entry.id);
}

void SessionList::add(std::string_view id, const Totals& totals, std::uint64_t first_seen,
                      std::span<const std::uint32_t> tiers) {
    if (!pages_.empty())
        pack(scratch_, id, totals, first_seen, tiers, pages_.back().start_base, pages_.back().first_seen_base);
    if (pages_.empty() || used_ + scratch_.size() > pages_.back().bytes.size()) {
        // A new page counts from its first record. One longer than a page (an id of many
        // kilobytes) has a page of its own.
        const std::int64_t started = totals.started_at.time_since_epoch().count();
        pack(scratch_, id, totals, first_seen, tiers, started, first_seen);
        pages_.push_back(Page{std::vector<char>(std::max(kPageBytes, scratch_.size())), started, first_seen});
        used_ = 0;
    }
    records_.push_back(static_cast<std::uint64_t>(pages_.size() - 1) << 32 | used_);
    std::memcpy(pages_.back().bytes.data() + used_, scratch_.data(), scratch_.size());
    used_ += scratch_.size();
}

void SessionList::merge(SessionList&& later, std::uint64_t first_seen_offset,
                        std::span<const std::uint32_t> tier_number) {
    bool same_tiers = true;
    for (std::uint32_t t = 0; t < tier_number.size(); ++t) same_tiers = same_tiers && tier_number[t] == t;
    if (same_tiers) {
        // The usual case: the later part's pages are taken over, each counting first_seen from
        // a base moved on by the offset.
        const std::uint64_t first_page = pages_.size();
        for (Page& page : later.pages_) {
            page.first_seen_base += first_seen_offset;
            pages_.push_back(std::move(page));
        }
        if (!later.pages_.empty()) used_ = later.used_;
        for (const std::uint64_t where : later.records_) records_.push_back(where + (first_page << 32));
    } else {
        // A tier the history names and the bank lacks was numbered differently in each part.
        std::vector<std::uint32_t> tiers;
        Entry entry;
        for (const std::uint64_t where : later.records_) {
            later.unpack(where, entry);
            tiers.clear();
            for (std::uint32_t tier : entry.tiers) tiers.push_back(tier_number[tier]);
            std::sort(tiers.begin(), tiers.end());
            add(entry.id, entry.totals, entry.first_seen + first_seen_offset, tiers);
        }
    }
    later = SessionList();
}

void SessionList::sort_by_start() {
    auto before = [&](std::uint64_t a, std::uint64_t b) { return key(a) < key(b); };
    // Sessions are mostly added in the order they started, but for those still open when their
    // part of the history ended, added last: a few sorted runs. Each is merged into the ones
    // before it, which needs a buffer only as long as the shorter of the two. Many runs mean
    // start times jumbled, and are sorted instead.
    constexpr std::size_t kMergedRuns = 8;
    std::vector<std::deque<std::uint64_t>::iterator> run_ends;
    for (auto run = records_.begin(); run != records_.end() && run_ends.size() <= kMergedRuns;)
        run_ends.push_back(run = std::is_sorted_until(run, records_.end(), before));
    if (run_ends.size() > kMergedRuns) {
        std::sort(records_.begin(), records_.end(), before);
        return;
    }
    // Merging in place leaves the iterators to later runs where they were.
    for (std::size_t k = 1; k < run_ends.size(); ++k)
        std::inplace_merge(records_.begin(), run_ends[k - 1], run_ends[k], before);
}

void SessionList::read(std::size_t k, Entry& into) const { unpack(records_[k], into); }

SessionList::Entry SessionList::entry(std::size_t k) const {
    Entry out;
    read(k, out);
    return out;
}

SessionProgress SessionList::operator[](std::size_t k) const {
    const Entry e = entry(k);
    SessionProgress out{e.id, e.totals.started_at, e.totals.ended_at, e.totals.coverage.stats(), {}};
    for (std::uint32_t tier : e.tiers) out.tiers.emplace_back(tier_id(tier));
    return out;
}

}  // namespace ehrprep
