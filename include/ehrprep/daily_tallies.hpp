#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "ehrprep/coverage_stats.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

// Scored coverage by day, overall and by tier number: what a full report's daily means are
// drawn from. Years of history have thousands of days, so they are one flat table, a row per
// day: the date, then the units and scored attempts of column 0, the overall, and of column
// 1 + t, tier t, for the tiers made room for. Days mostly come in order; rows for new ones are
// added at the end and sorted in batches, so that days that jump about cost n log n.
//
// Tiers past those (the ones a history names and the bank lacks) are kept apart, a day at a
// time: a history may name thousands, each on a few days, and a row for each would make the
// table days times tiers.
class DailyTallies {
public:
    static constexpr std::uint32_t kOverall = 0;
    static std::uint32_t column_of(std::uint32_t tier) { return 1 + tier; }

    // `tiers`: how many tiers the table makes room for.
    explicit DailyTallies(std::size_t tiers) : width_(1 + tiers) {}

    // Adds to a column of a day, whose row is made if it has none.
    void add(Date day, std::uint32_t column, std::uint64_t units, std::uint64_t scored);

    // `later`'s sums, from a later part of the history, its tier t numbered tier_number[t] here.
    void merge(const DailyTallies& later, const std::vector<std::uint32_t>& tier_number);

    // Each day once, in order of date. Until then a day may have several rows.
    void tidy();

    [[nodiscard]] std::size_t rows() const { return cells_.size() / stride(); }
    [[nodiscard]] Date day(std::size_t row) const { return Date{std::chrono::days{date(row)}}; }
    // A column's units and scored attempts, as a tally; after tidy().
    [[nodiscard]] CoverageTally tally(std::size_t row, std::uint32_t column) const;

    // Hands each day, in order of date, to `visit(day, tally)`, where tally(column) is that
    // column's, freeing the rows as it goes: what the days become need not be held beside them.
    template <typename Visit>
    void drain(Visit visit) {
        tidy();
        std::size_t extra = 0;
        while (rows() > 0) {
            const std::int64_t today = date(0);
            std::size_t extra_end = extra;
            while (extra_end < extra_.size() && extra_[extra_end].day == today) ++extra_end;
            visit(day(0), [&](std::uint32_t column) {
                return column < width_ ? tally(0, column) : extra_tally(extra, extra_end, today, column);
            });
            cells_.erase(cells_.begin(), cells_.begin() + static_cast<std::ptrdiff_t>(stride()));
            extra = extra_end;
        }
        tidy_rows_ = 0;
        last_found_ = 0;
        extra_ = {};
        tidy_extra_ = 0;
    }

private:
    [[nodiscard]] std::size_t stride() const { return 1 + 2 * width_; }
    [[nodiscard]] std::int64_t date(std::size_t row) const { return static_cast<std::int64_t>(cells_[row * stride()]); }
    // The row of `day` among the first `sorted` rows, or `sorted` when it has none there.
    [[nodiscard]] std::size_t sorted_row(std::int64_t day, std::size_t sorted) const;
    std::size_t row_of(Date day);

    // A day's sums in a column past the table's.
    struct Extra {
        std::int64_t day = 0;
        std::uint32_t column = 0;
        std::uint64_t units = 0;
        std::uint64_t scored = 0;
    };
    void add_extra(std::int64_t day, std::uint32_t column, std::uint64_t units, std::uint64_t scored);
    void tidy_extra();
    // The column's sums among extra_[from, to), all of `day`.
    [[nodiscard]] CoverageTally extra_tally(std::size_t from, std::size_t to, std::int64_t day,
                                            std::uint32_t column) const;

    std::size_t width_;  // columns in the table
    std::deque<std::uint64_t> cells_;
    std::size_t tidy_rows_ = 0;  // the first rows, sorted by date, each day once
    std::size_t last_found_ = 0;
    std::vector<Extra> extra_;     // by day and column up to tidy_extra_, each once there
    std::size_t tidy_extra_ = 0;
};

}  // namespace ehrprep
