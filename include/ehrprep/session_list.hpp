#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ehrprep/coverage_stats.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

struct SessionProgress {
    std::string id;
    Timestamp started_at{};
    Timestamp ended_at{};
    CoverageStats coverage;
    std::vector<std::string> tiers;  // tier ids practised, bank order
};

// The sessions of a report. A long history has hundreds of thousands, so each is packed into
// one record of about thirty bytes (a quiz's id, a few tiers), in pages that are never copied
// as the list grows, and is made a SessionProgress only when asked for.
class SessionList {
public:
    struct Totals {
        Timestamp started_at{};
        Timestamp ended_at{};
        SessionTally coverage;
    };

    // A session as kept: its tiers by number, each named by tier_id().
    struct Entry {
        std::string id;
        Totals totals;
        std::uint64_t first_seen = 0;
        std::vector<std::uint32_t> tiers;
    };

    // A session: `first_seen`, how many sessions were seen before it, breaks ties in start
    // time; `tiers` are tier numbers, ascending.
    void add(std::string_view id, const Totals& totals, std::uint64_t first_seen,
             std::span<const std::uint32_t> tiers);

    // Takes a later part's sessions after these: their first_seen plus `first_seen_offset`, and
    // their tier t numbered tier_number[t], listed in ascending order. Its pages are taken over,
    // not copied, unless tiers are numbered differently here.
    void merge(SessionList&& later, std::uint64_t first_seen_offset, std::span<const std::uint32_t> tier_number);

    // Orders the sessions by start, ties by first_seen; until then they are in the order added.
    void sort_by_start();

    // What each tier number is called.
    void name_tiers(std::vector<std::string> tier_ids) { tier_ids_ = std::move(tier_ids); }
    [[nodiscard]] std::string_view tier_id(std::uint32_t tier) const { return tier_ids_[tier]; }

    [[nodiscard]] std::size_t size() const { return records_.size(); }
    [[nodiscard]] bool empty() const { return records_.empty(); }
    [[nodiscard]] Entry entry(std::size_t k) const;
    // The same into `into`, whose storage is reused: a writer of every session allocates once.
    void read(std::size_t k, Entry& into) const;
    [[nodiscard]] SessionProgress operator[](std::size_t k) const;
    [[nodiscard]] SessionProgress front() const { return (*this)[0]; }
    [[nodiscard]] SessionProgress back() const { return (*this)[size() - 1]; }

private:
    struct Page {
        std::vector<char> bytes;
        // Its first record's start and first_seen, from which each record counts its own.
        std::int64_t start_base = 0;
        std::uint64_t first_seen_base = 0;
    };

    // A record is found by where it starts: its page in the high half, its offset in the low one.
    [[nodiscard]] std::pair<std::int64_t, std::uint64_t> key(std::uint64_t where) const;
    void unpack(std::uint64_t where, Entry& entry) const;

    std::vector<Page> pages_;
    std::size_t used_ = 0;                 // of the last page
    std::deque<std::uint64_t> records_;    // where each session's record starts, in list order
    std::vector<std::string> tier_ids_;
    std::string scratch_;                  // a record being packed
};

}  // namespace ehrprep
