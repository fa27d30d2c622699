#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ehrprep/coverage_stats.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/id_table.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/review_schedule.hpp"
#include "ehrprep/session_list.hpp"
#include "ehrprep/session_window.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

// Which attempts every view is computed from. Tier and date narrow attempts; `last_sessions`
// then keeps the sessions, among those left, that started last.
struct ProgressFilter {
    std::vector<std::string> tiers;  // tier ids; empty means all
    std::optional<Date> since;       // local date of the attempt, inclusive
    std::optional<std::size_t> last_sessions;
    UtcOffset utc_offset;  // whose days `since`, streaks and daily means count in

    // The tier and date parts.
    [[nodiscard]] bool admits(const Attempt& attempt) const { return admits(attempt.tier_id, attempt.started_at); }
    [[nodiscard]] bool admits(const AttemptView& attempt) const { return admits(attempt.tier_id, attempt.started_at); }
    [[nodiscard]] bool admits(std::string_view tier_id, Timestamp started_at) const;
    [[nodiscard]] bool empty() const { return tiers.empty() && !since && !last_sessions; }
};

// The sessions of the attempts a filter admits, and which of them every view shows: all of them,
// or with `last_sessions` the ones that started last. Sessions go by when their first attempt
// started, then by where they first appear in the history (two terminals may interleave lines).
//
// With a `session_window`, only the sessions seen last stay open (see SessionWindow), and older
// ones are kept only while among the last `last_sessions` by start, so that memory does not grow
// with the history. needs_second_reading() then says when it must be read again with no window.
class SessionSelection {
public:
    struct Chosen {
        std::string_view id;
        Timestamp started_at{};
        std::uint32_t number = IdTable::kNone;  // what add() gave it; with a window, kNone once folded
    };

    explicit SessionSelection(std::optional<std::size_t> last_sessions,
                              std::optional<std::size_t> session_window = std::nullopt)
        : last_sessions_(last_sessions), window_(session_window) {}

    // The attempt's session, numbered in order of first appearance; with a window the numbers
    // of older sessions change as they fold.
    std::uint32_t add(const Attempt& admitted) { return add(admitted.session_id, admitted.started_at); }
    std::uint32_t add(const AttemptView& admitted) { return add(admitted.session_id, admitted.started_at); }

    // A selection for a later part of the same history, read on another thread; merge() takes
    // its sessions back, ordered as if one selection had seen the whole history.
    [[nodiscard]] SessionSelection part() const;
    void merge(SessionSelection&& later);

    [[nodiscard]] bool needs_second_reading() const { return window_.out_of_order(); }

    // The chosen sessions, earliest start first.
    [[nodiscard]] std::vector<Chosen> chosen() const;

private:
    struct Folded {
        Timestamp started_at{};
        std::uint64_t first_seen = 0;
        std::string id;
    };

    std::uint32_t add(std::string_view id, Timestamp started_at);
    void fold(const std::vector<SessionFate>& fates);
    void keep_latest_folded();

    std::optional<std::size_t> last_sessions_;
    SessionWindow window_;
    std::vector<Timestamp> started_;  // by open session
    std::vector<Folded> folded_;      // the latest by start, at most twice last_sessions
};

struct TierProgress {
    std::string id;
    std::string name;
    std::size_t questions_total = 0;  // in the bank
    std::size_t questions_practised = 0;
    CoverageStats coverage;
    // Mean coverage of the last sessions that practised the tier minus that of the sessions
    // before them (kTrendSessions each, fewer when there are fewer than twice as many); none
    // until the sessions compared span more than one local day.
    std::optional<double> change;
};

inline constexpr std::size_t kTrendSessions = 3;

// Everything known about one question. Renderers list its fields through one table in
// report_cells.cpp, so a new field here is shown by every format once added there.
struct QuestionProgress {
    std::string id;
    std::string tier_id;
    std::string text;  // empty when the bank no longer has the question
    std::string hint;
    bool in_bank = true;
    CoverageStats coverage;
    std::optional<double> latest_coverage;         // of the latest scored attempt
    std::optional<Timestamp> last_attempt_at;       // any outcome
    std::vector<std::string> latest_missed;         // concepts the latest scored attempt missed
    // Spaced review (FSRS), from the question's whole history whatever the filters.
    std::optional<Timestamp> review_due_at;
    std::optional<double> retrievability;           // chance of recalling it now
    std::optional<Timestamp> last_review_at;        // see recall_worth_showing()
};

struct ConceptMisses {
    std::string label;
    std::string question_id;
    std::uint64_t missed = 0;
    std::uint64_t scored_attempts = 0;  // of the question
};

// Mean coverage on one local day; `tiers` lines up with ProgressReport::tiers.
struct DailyCoverage {
    Date date;
    std::optional<double> overall;
    // The tiers with scored attempts that day, by their place in ProgressReport::tiers, in that
    // order: a history may name thousands of tiers, and a day holds few of them.
    std::vector<std::pair<std::size_t, double>> tier_means;

    [[nodiscard]] std::optional<double> tier(std::size_t place) const;
};

struct OutcomeCounts {
    std::uint64_t answered = 0;
    std::uint64_t timed_out = 0;
    std::uint64_t skipped = 0;
    std::uint64_t quit = 0;
};

struct ProgressReport {
    std::string bank_title;
    Date today;
    ProgressFilter filter;
    OutcomeCounts outcomes;
    TierProgress overall;              // id "all"
    std::vector<TierProgress> tiers;   // bank order, only the filtered ones
    std::vector<QuestionProgress> questions;  // attempted questions, bank order first
    // Into `questions`: those whose latest coverage is below the strong band, lowest first.
    std::vector<std::size_t> weakest;
    std::vector<ConceptMisses> most_missed;   // most missed first, at most kMostMissedKept
    SessionList sessions;                     // by start time; empty in a summary
    std::size_t session_count = 0;
    std::vector<DailyCoverage> daily;         // by date, days with scored attempts
    std::size_t current_streak_days = 0;      // consecutive days ending today or yesterday
    std::size_t longest_streak_days = 0;
    std::optional<Date> last_practised;
    std::size_t reviews_due_now = 0;          // among `questions`

    [[nodiscard]] bool empty() const { return overall.coverage.attempts == 0; }
};

inline constexpr std::size_t kMostMissedKept = 20;

// How much of a report a command shows. A summary (what `stats` prints) leaves out the daily
// means and the sessions one by one, which with hundreds of thousands of sessions over years of
// practice are most of what a report holds: `daily` and `sessions` are empty, and only
// `session_count` and the figures drawn from the sessions (trends, streaks) are given.
enum class ProgressDetail { Full, Summary };

// How many sessions a report keeps open while the history is read (see SessionWindow).
inline constexpr std::size_t kSessionWindow = 1024;

// Reads a history through a window of kSessionWindow sessions and, when its session ids defeat
// the window, once more with none. `read(window)` gives a Result of something that says
// needs_second_reading(): a ProgressBuilder, a SessionSelection, or what holds one.
template <typename Read>
auto read_through_window(Read read) -> decltype(read(std::optional<std::size_t>{})) {
    auto first = read(std::optional<std::size_t>(kSessionWindow));
    if (first && first->needs_second_reading()) return read(std::nullopt);
    return first;
}

// Builds a ProgressReport in one pass over the history, or in parts read at once on several
// threads and merged in file order, with the same result to the last bit. Memory grows with
// the number of questions and concepts, and for a full report with the number of sessions and
// days, about forty bytes a session, never with the answers: add() keeps no text of them.
//
// It keeps only the `session_window` sessions seen last open (all of them when it is empty)
// and folds older ones into its figures, and in a full report into its session list and daily
// means, exactly so long as session ids sort by start (see SessionWindow);
// needs_second_reading() says when they did not.
class ProgressBuilder {
public:
    // `review` schedules each question from its whole history, whatever the filter shows.
    ProgressBuilder(const QuestionBank& bank, ProgressFilter filter, ReviewSettings review = {},
                    ProgressDetail detail = ProgressDetail::Full,
                    std::optional<std::size_t> session_window = kSessionWindow);
    ~ProgressBuilder();
    ProgressBuilder(ProgressBuilder&&) noexcept;
    ProgressBuilder& operator=(ProgressBuilder&&) noexcept;

    // With `last_sessions`, which sessions are shown depends on the whole history, so the
    // history is read twice: first into a SessionSelection of the attempts the filter admits,
    // whose choice the builder is given here, before the second reading adds them.
    void keep_sessions(const SessionSelection& selection);

    void add(const Attempt& attempt);
    void add(const AttemptView& attempt);

    // A builder for a later part of the same history, to be read on another thread, and
    // merged back into this one once both have read their parts, in file order.
    [[nodiscard]] ProgressBuilder part() const;
    void merge(ProgressBuilder&& later);

    // Whether a session came back after it was folded, or a new one sorted before a folded
    // one: the figures would then be wrong, and the history must be read again with no window.
    // From then on the builder adds nothing more, and its report is not to be used.
    [[nodiscard]] bool needs_second_reading() const;

    // The report for `today`, with review schedules as they stand at `now`.
    [[nodiscard]] ProgressReport finish(Date today, Timestamp now) &&;

private:
    struct State;
    explicit ProgressBuilder(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace ehrprep
