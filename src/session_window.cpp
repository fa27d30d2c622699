#include "ehrprep/session_window.hpp"

#include <algorithm>

namespace ehrprep {

SessionWindow SessionWindow::part() const {
    SessionWindow later(open_);
    later.kept_open_ = open_.value_or(0);
    return later;
}

void SessionWindow::note_new(std::string_view id) {
    // Every folded id sorts at or before the highest: this one may be one of them again.
    if (folded_ > 0 && id <= highest_folded_) out_of_order_ = true;
    ++seen_;
    if (!tracked_) return;
    first_seen_.push_back(seen_ - 1);
    last_seen_.push_back(adds_);
}

std::uint32_t SessionWindow::add(std::string_view id) {
    if (last_ == kNone || ids_[last_] != id) {
        const std::size_t known = ids_.size();
        last_ = ids_.add(id);
        if (last_ == known) note_new(id);
    }
    ++adds_;
    if (tracked_) last_seen_[last_] = adds_;
    return last_;
}

bool SessionWindow::should_fold() const {
    return open_ && ids_.size() >= kept_open_ + 2 * std::max<std::size_t>(*open_, 1);
}

std::vector<SessionFate> SessionWindow::least_recent() const {
    std::vector<SessionFate> fates(ids_.size(), SessionFate::Keep);
    if (!open_) return fates;
    const std::size_t open = std::max<std::size_t>(*open_, 1);
    std::vector<std::uint64_t> recency;
    for (std::uint32_t k = 0; k < ids_.size(); ++k)
        if (first_seen_[k] >= kept_open_) recency.push_back(last_seen_[k]);
    if (recency.size() <= open) return fates;
    const auto kept_from = recency.end() - static_cast<std::ptrdiff_t>(open);
    std::nth_element(recency.begin(), kept_from, recency.end());
    for (std::uint32_t k = 0; k < ids_.size(); ++k)
        if (first_seen_[k] >= kept_open_ && last_seen_[k] < *kept_from) fates[k] = SessionFate::Fold;
    return fates;
}

std::vector<std::uint32_t> SessionWindow::close(const std::vector<SessionFate>& fates) {
    std::vector<std::uint32_t> number(ids_.size(), kNone);
    IdTable kept;
    std::vector<std::uint64_t> kept_first_seen;
    std::vector<std::uint64_t> kept_last_seen;
    for (std::uint32_t k = 0; k < ids_.size(); ++k) {
        const std::string_view id = ids_[k];
        if (fates[k] == SessionFate::Keep) {
            number[k] = kept.add(id);
            kept_first_seen.push_back(first_seen(k));
            kept_last_seen.push_back(tracked_ ? last_seen_[k] : 0);
        } else if (fates[k] == SessionFate::Fold) {
            if (folded_ == 0 || id < lowest_folded_) lowest_folded_ = id;
            if (folded_ == 0 || id > highest_folded_) highest_folded_ = id;
            ++folded_;
        }
    }
    ids_ = std::move(kept);
    first_seen_ = std::move(kept_first_seen);
    last_seen_ = std::move(kept_last_seen);
    tracked_ = true;  // numbers may have changed
    last_ = kNone;
    return number;
}

std::vector<std::uint32_t> SessionWindow::merge(const SessionWindow& later) {
    // The later part's folded sessions are new here only if they sort after every id here.
    if (later.folded_ > 0) {
        std::string_view highest = highest_folded_;
        for (std::uint32_t k = 0; k < ids_.size(); ++k) highest = std::max(highest, ids_[k]);
        if (later.lowest_folded_ <= highest) out_of_order_ = true;
    }
    out_of_order_ = out_of_order_ || later.out_of_order_;
    merged_offset_ = seen_;
    std::vector<std::uint32_t> number(later.ids_.size());
    for (std::uint32_t k = 0; k < later.ids_.size(); ++k) {
        const std::size_t known = ids_.size();
        number[k] = ids_.add(later.ids_[k]);
        if (number[k] == known) {
            note_new(later.ids_[k]);
            if (tracked_) first_seen_.back() = merged_offset_ + later.first_seen(k);
        }
        if (tracked_) last_seen_[number[k]] = adds_ + later.last_seen(k);
    }
    if (later.folded_ > 0) {
        if (folded_ == 0 || later.lowest_folded_ < lowest_folded_) lowest_folded_ = later.lowest_folded_;
        if (folded_ == 0 || later.highest_folded_ > highest_folded_) highest_folded_ = later.highest_folded_;
        folded_ += later.folded_;
    }
    seen_ = merged_offset_ + later.seen_;
    adds_ += later.adds_;
    last_ = kNone;
    return number;
}

}  // namespace ehrprep
