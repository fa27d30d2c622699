#include "ehrprep/daily_tallies.hpp"

#include <algorithm>
#include <numeric>

namespace ehrprep {

void DailyTallies::add(Date day, std::uint32_t column, std::uint64_t units, std::uint64_t scored) {
    const std::size_t row = row_of(day);
    if (column >= width_) return add_extra(day.time_since_epoch().count(), column, units, scored);
    const std::size_t at = row * stride() + 1 + 2 * column;
    cells_[at] += units;
    cells_[at + 1] += scored;
}

void DailyTallies::add_extra(std::int64_t day, std::uint32_t column, std::uint64_t units, std::uint64_t scored) {
    if (!extra_.empty() && extra_.back().day == day && extra_.back().column == column) {
        extra_.back().units += units;
        extra_.back().scored += scored;
        return;
    }
    extra_.push_back(Extra{day, column, units, scored});
    if (extra_.size() >= 2 * tidy_extra_ + 1024) tidy_extra();
}

void DailyTallies::tidy_extra() {
    std::stable_sort(extra_.begin(), extra_.end(), [](const Extra& a, const Extra& b) {
        return a.day != b.day ? a.day < b.day : a.column < b.column;
    });
    std::size_t kept = 0;
    for (const Extra& e : extra_) {
        if (kept > 0 && extra_[kept - 1].day == e.day && extra_[kept - 1].column == e.column) {
            extra_[kept - 1].units += e.units;
            extra_[kept - 1].scored += e.scored;
        } else {
            extra_[kept++] = e;
        }
    }
    extra_.resize(kept);
    tidy_extra_ = kept;
}

CoverageTally DailyTallies::extra_tally(std::size_t from, std::size_t to, std::int64_t day,
                                        std::uint32_t column) const {
    const auto first = extra_.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last = extra_.begin() + static_cast<std::ptrdiff_t>(to);
    const auto found = std::lower_bound(first, last, std::pair(day, column), [](const Extra& e, const auto& key) {
        return e.day != key.first ? e.day < key.first : e.column < key.second;
    });
    if (found == last || found->day != day || found->column != column) return {};
    return CoverageTally{0, found->scored, found->units, 0.0};
}

void DailyTallies::merge(const DailyTallies& later, const std::vector<std::uint32_t>& tier_number) {
    auto here = [&](std::uint32_t column) { return column == kOverall ? kOverall : column_of(tier_number[column - 1]); };
    for (std::size_t row = 0; row < later.rows(); ++row)
        for (std::uint32_t column = 0; column < later.width_; ++column) {
            const std::size_t at = row * later.stride() + 1 + 2 * column;
            const std::uint64_t units = later.cells_[at];
            const std::uint64_t scored = later.cells_[at + 1];
            if (scored == 0 && units == 0 && column != kOverall) continue;
            add(later.day(row), here(column), units, scored);
        }
    for (const Extra& e : later.extra_) add(Date{std::chrono::days{e.day}}, here(e.column), e.units, e.scored);
}

CoverageTally DailyTallies::tally(std::size_t row, std::uint32_t column) const {
    if (column >= width_) return extra_tally(0, extra_.size(), date(row), column);
    const std::size_t at = row * stride() + 1 + 2 * column;
    return CoverageTally{0, cells_[at + 1], cells_[at], 0.0};
}

// The rows after the longest sorted run from the start are sorted and merged into it from the
// back, so that only they are copied: days mostly come in order, but for those of the
// sessions still open when a part of the history ended.
void DailyTallies::tidy() {
    if (tidy_extra_ < extra_.size()) tidy_extra();
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

}  // namespace ehrprep
