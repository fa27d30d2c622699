#include "ehrprep/daily_tallies.hpp"

#include <algorithm>
#include <numeric>

namespace ehrprep {

void DailyTallies::add(Date day, std::uint32_t column, std::uint64_t units, std::uint64_t scored) {
    if (column >= width_) widen(std::max<std::size_t>(column + 1, 2 * width_));
    const std::size_t at = row_of(day) * stride() + 1 + 2 * column;
    cells_[at] += units;
    cells_[at + 1] += scored;
}

void DailyTallies::merge(const DailyTallies& later, const std::vector<std::uint32_t>& tier_number) {
    for (std::size_t row = 0; row < later.rows(); ++row)
        for (std::uint32_t column = 0; column < later.width_; ++column) {
            const CoverageTally from = later.tally(row, column);
            if (from.scored == 0 && from.units == 0 && column != kOverall) continue;
            add(later.day(row), column == kOverall ? kOverall : column_of(tier_number[column - 1]), from.units,
                from.scored);
        }
}

CoverageTally DailyTallies::tally(std::size_t row, std::uint32_t column) const {
    if (column >= width_) return {};
    const std::size_t at = row * stride() + 1 + 2 * column;
    return CoverageTally{0, cells_[at + 1], cells_[at], 0.0};
}

// The rows after the longest sorted run from the start are sorted and merged into it from the
// back, so that only they are copied: days mostly come in order, but for those of the
// sessions still open when a part of the history ended.
void DailyTallies::tidy() {
    const std::size_t n = stride();
    std::size_t sorted = std::max<std::size_t>(tidy_rows_, 1);
    while (sorted < rows() && date(sorted - 1) < date(sorted)) ++sorted;
    if (sorted >= rows()) {
        tidy_rows_ = rows();
        return;
    }
    const std::vector<std::uint64_t> tail(cells_.begin() + static_cast<std::ptrdiff_t>(sorted * n), cells_.end());
    cells_.resize(sorted * n);
    std::vector<std::uint32_t> order(tail.size() / n);
    std::iota(order.begin(), order.end(), 0U);
    auto tail_date = [&](std::uint32_t row) { return static_cast<std::int64_t>(tail[row * n]); };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return tail_date(a) < tail_date(b); });
    // Days the sorted rows have are added to them; the others, each once, are merged in.
    std::vector<std::uint64_t> extra;
    auto add_row = [&](auto into, std::uint32_t row) {
        for (std::size_t k = 1; k < n; ++k) into[static_cast<std::ptrdiff_t>(k)] += tail[row * n + k];
    };
    for (const std::uint32_t row : order) {
        const std::int64_t day = tail_date(row);
        if (!extra.empty() && static_cast<std::int64_t>(extra[extra.size() - n]) == day) {
            add_row(extra.end() - static_cast<std::ptrdiff_t>(n), row);
        } else if (const std::size_t found = sorted_row(day, sorted); found < sorted) {
            add_row(cells_.begin() + static_cast<std::ptrdiff_t>(found * n), row);
        } else {
            extra.insert(extra.end(), tail.begin() + static_cast<std::ptrdiff_t>(row * n),
                         tail.begin() + static_cast<std::ptrdiff_t>((row + 1) * n));
        }
    }
    std::size_t kept = sorted;
    std::size_t added = extra.size() / n;
    cells_.resize((kept + added) * n);
    auto row_at = [&](std::size_t row) { return cells_.begin() + static_cast<std::ptrdiff_t>(row * n); };
    auto extra_at = [&](std::size_t row) { return extra.begin() + static_cast<std::ptrdiff_t>(row * n); };
    for (std::size_t to = kept + added; added > 0; --to) {
        if (kept > 0 && date(kept - 1) > static_cast<std::int64_t>(*extra_at(added - 1))) {
            --kept;
            std::copy(row_at(kept), row_at(kept + 1), row_at(to - 1));
        } else {
            --added;
            std::copy(extra_at(added), extra_at(added + 1), row_at(to - 1));
        }
    }
    tidy_rows_ = rows();
    last_found_ = 0;
}

std::size_t DailyTallies::sorted_row(std::int64_t day, std::size_t sorted) const {
    std::size_t low = 0;
    std::size_t high = sorted;
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (date(mid) < day) low = mid + 1;
        else high = mid;
    }
    return low < sorted && date(low) == day ? low : sorted;
}

std::size_t DailyTallies::row_of(Date day) {
    const std::int64_t wanted = day.time_since_epoch().count();
    if (rows() > 0 && date(rows() - 1) == wanted) return rows() - 1;
    // A fold adds to the days of its sessions in turn, mostly the one just found or the next.
    for (const std::size_t near : {last_found_, last_found_ + 1})
        if (near < tidy_rows_ && date(near) == wanted) return last_found_ = near;
    if (const std::size_t found = sorted_row(wanted, tidy_rows_); found < tidy_rows_) return last_found_ = found;
    if (rows() >= 2 * tidy_rows_ + 1024) {
        tidy();
        return row_of(day);
    }
    cells_.resize(cells_.size() + stride(), 0);
    cells_[cells_.size() - stride()] = static_cast<std::uint64_t>(wanted);
    return rows() - 1;
}

void DailyTallies::widen(std::size_t width) {
    std::deque<std::uint64_t> wider;
    const std::size_t n = stride();
    for (std::size_t row = 0; row < rows(); ++row) {
        const auto from = cells_.begin() + static_cast<std::ptrdiff_t>(row * n);
        wider.insert(wider.end(), from, from + static_cast<std::ptrdiff_t>(n));
        wider.resize(wider.size() + 2 * (width - width_), 0);
    }
    cells_ = std::move(wider);
    width_ = width;
}

}  // namespace ehrprep
