#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/id_table.hpp"

namespace ehrprep {

// What becomes of an open session when a window folds: kept open, folded into its owner's
// figures, or dropped from them.
enum class SessionFate : std::uint8_t { Keep, Fold, Drop };

// The sessions of a history being read, numbered in the order they are first seen, of which
// only those seen last need stay open. A session's lines mostly come together, so its owner can
// fold one left far enough behind into fixed-size figures, and memory stays flat however many
// sessions the history holds.
//
// That is exact when session ids sort by start, as the ids ehrprep writes do
// ("20261130T091500Z-ab12"): a session first seen after others were folded must then sort after
// every folded id. One that does not (ids of another form, a session that comes back in a
// hand-merged history, a clock set back) may be a folded session returning, so the window says
// it is out of order, and its owner's figures are not to be trusted: the history must be read
// again with no window.
class SessionWindow {
public:
    static constexpr std::uint32_t kNone = IdTable::kNone;

    // `open`: how many sessions stay open once some are folded; with none, all stay open.
    explicit SessionWindow(std::optional<std::size_t> open) : open_(open), tracked_(open.has_value()) {}

    // A window for a later part of the same history, read on another thread. It keeps the
    // sessions it sees first open until merged, since they may continue the earlier part's.
    [[nodiscard]] SessionWindow part() const;

    // The number of the session `id`, which was seen now; a new one is numbered next.
    std::uint32_t add(std::string_view id);

    [[nodiscard]] std::size_t size() const { return ids_.size(); }
    [[nodiscard]] std::string_view id(std::uint32_t session) const { return ids_[session]; }
    // How many sessions were seen before it, in this part: what breaks a tie in start times.
    [[nodiscard]] std::uint64_t first_seen(std::uint32_t session) const {
        return tracked_ ? first_seen_[session] : session;
    }
    [[nodiscard]] bool out_of_order() const { return out_of_order_; }

    // Whether enough sessions are open that the owner should fold some, and which: all but the
    // ones seen last (and those a later part keeps open).
    [[nodiscard]] bool should_fold() const;
    [[nodiscard]] std::vector<SessionFate> least_recent() const;

    // Closes the sessions not kept, noting the ids folded, and renumbers the kept ones in the
    // order they were numbered: the new number of each session, or kNone.
    std::vector<std::uint32_t> close(const std::vector<SessionFate>& fates);

    // Takes in a later part's window once both parts are read: the number here of each of its
    // open sessions, new ones numbered next. first_seen_offset() is then what to add to the
    // later part's first_seen() for sessions it folded.
    std::vector<std::uint32_t> merge(const SessionWindow& later);
    [[nodiscard]] std::uint64_t first_seen_offset() const { return merged_offset_; }

private:
    void note_new(std::string_view id);
    [[nodiscard]] std::uint64_t last_seen(std::uint32_t session) const {
        return tracked_ ? last_seen_[session] : session;
    }

    std::optional<std::size_t> open_;
    // Whether each session's place and latest line are kept. With no window, numbers never
    // change and a session's number is its place, so neither is kept.
    bool tracked_;
    std::uint64_t kept_open_ = 0;  // a later part's sessions first seen below this never fold
    IdTable ids_;
    std::vector<std::uint64_t> first_seen_;  // by session
    std::vector<std::uint64_t> last_seen_;   // by session: in adds_
    std::uint64_t seen_ = 0;                 // sessions seen
    std::uint64_t adds_ = 0;
    std::uint32_t last_ = kNone;  // a session's lines mostly come together
    std::uint64_t folded_ = 0;
    std::string lowest_folded_;
    std::string highest_folded_;
    std::uint64_t merged_offset_ = 0;
    bool out_of_order_ = false;
};

}  // namespace ehrprep
