#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ehrprep/coverage_stats.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/review_schedule.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

// Which attempts every view is computed from. Tier and date narrow attempts; `last_sessions`
// then keeps the sessions, among those left, that started last.
struct ProgressFilter {
    std::vector<std::string> tiers;  // tier ids; empty means all
    std::optional<Date> since;       // local date of the attempt, inclusive
    std::optional<std::size_t> last_sessions;
    std::chrono::seconds utc_offset{0};

    [[nodiscard]] bool admits(const Attempt& attempt) const;  // the tier and date parts
    [[nodiscard]] bool empty() const { return tiers.empty() && !since && !last_sessions; }
};

// The sessions of the attempts a filter admits, and which of them every view shows: all of them,
// or with `last_sessions` the ones that started last. Sessions go by when their first attempt
// started, then by where they first appear in the history (two terminals may interleave lines).
class SessionSelection {
public:
    explicit SessionSelection(std::optional<std::size_t> last_sessions) : last_sessions_(last_sessions) {}

    // The attempt's session, numbered in order of first appearance.
    std::uint32_t add(const Attempt& admitted);

    // The chosen sessions, earliest start first.
    [[nodiscard]] std::vector<std::uint32_t> chosen() const;

    [[nodiscard]] const std::string& id(std::uint32_t session) const { return sessions_[session].id; }
    [[nodiscard]] Timestamp started_at(std::uint32_t session) const { return sessions_[session].started_at; }

private:
    struct Session {
        std::string id;
        Timestamp started_at;
    };
    struct IdHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
    };
    std::optional<std::size_t> last_sessions_;
    std::vector<Session> sessions_;
    std::unordered_map<std::string, std::uint32_t, IdHash, std::equal_to<>> index_;
    std::uint32_t last_added_ = 0;  // attempts of a session mostly come together
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

struct SessionProgress {
    std::string id;
    Timestamp started_at{};
    Timestamp ended_at{};
    CoverageStats coverage;
    std::vector<std::string> tiers;  // tier ids practised, bank order
};

// Mean coverage on one local day; `tiers` lines up with ProgressReport::tiers.
struct DailyCoverage {
    Date date;
    std::optional<double> overall;
    std::vector<std::optional<double>> tiers;
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
    std::vector<SessionProgress> sessions;    // by start time
    std::vector<DailyCoverage> daily;         // by date, days with scored attempts
    std::size_t current_streak_days = 0;      // consecutive days ending today or yesterday
    std::size_t longest_streak_days = 0;
    std::optional<Date> last_practised;
    std::size_t reviews_due_now = 0;          // among `questions`

    [[nodiscard]] bool empty() const { return overall.coverage.attempts == 0; }
};

inline constexpr std::size_t kMostMissedKept = 20;

// Fills in each question's review due date and retrievability from `schedules` (as the
// ReviewScheduleBuilder left them at `now`), and counts what is due.
void attach_review_schedules(ProgressReport& report, const std::vector<QuestionSchedule>& schedules, Timestamp now);

// Builds a ProgressReport in one pass over the history. Memory grows with the number of
// questions, concepts and sessions, never with the answers: add() keeps no text of them.
class ProgressBuilder {
public:
    ProgressBuilder(const QuestionBank& bank, ProgressFilter filter);
    ~ProgressBuilder();
    ProgressBuilder(ProgressBuilder&&) noexcept;
    ProgressBuilder& operator=(ProgressBuilder&&) noexcept;

    void add(const Attempt& attempt);
    [[nodiscard]] ProgressReport finish(Date today) &&;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace ehrprep
