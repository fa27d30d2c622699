#include "ehrprep/progress.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "ehrprep/daily_tallies.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/session_window.hpp"

namespace ehrprep {
namespace {

using namespace std::chrono;

void merge(OutcomeCounts& into, const OutcomeCounts& from) {
    into.answered += from.answered;
    into.timed_out += from.timed_out;
    into.skipped += from.skipped;
    into.quit += from.quit;
}

void count(OutcomeCounts& counts, Outcome outcome) {
    switch (outcome) {
        case Outcome::Answered: ++counts.answered; break;
        case Outcome::TimedOut: ++counts.timed_out; break;
        case Outcome::Skipped: ++counts.skipped; break;
        case Outcome::Quit: ++counts.quit; break;
    }
}

constexpr Timestamp kNever = Timestamp::min();
constexpr std::uint32_t kNone = IdTable::kNone;

struct QuestionAcc {
    std::uint32_t question = 0;
    CoverageTally coverage;
    Timestamp last_attempt_at = kNever;
    Timestamp latest_scored_at = kNever;
    double latest = 0.0;
    std::vector<std::uint32_t> latest_missed;  // concept numbers of the question
    std::vector<std::uint64_t> missed_counts;  // by concept number
};

void count_missed(std::vector<std::uint64_t>& counts, std::uint32_t concept_number, std::uint64_t n) {
    if (counts.size() <= concept_number) counts.resize(concept_number + 1, 0);
    counts[concept_number] += n;
}

// Per-question sums, by question number.
class QuestionTable {
public:
    QuestionAcc& at(std::uint32_t question) {
        if (slot_.size() <= question) slot_.resize(question + 1, -1);
        if (slot_[question] < 0) {
            slot_[question] = static_cast<std::int32_t>(rows_.size());
            rows_.push_back(QuestionAcc{question});
        }
        return rows_[static_cast<std::size_t>(slot_[question])];
    }

    [[nodiscard]] const std::vector<QuestionAcc>& rows() const { return rows_; }

private:
    std::vector<std::int32_t> slot_;
    std::vector<QuestionAcc> rows_;
};

// A session's scored attempts at one tier, what the tier's change and the daily means need, in
// eight bytes: there are a few per session, and hundreds of thousands of sessions. Coverage is
// kept to the four places the history writes. A session's attempts at a tier mostly come
// together and share one entry; lines that interleave with another session's start another,
// and finish() adds them up.
struct TierEntry {
    static constexpr std::uint32_t kMaxScored = (1U << 8) - 1;
    static constexpr std::uint32_t kMaxUnits = (1U << 24) - 1;
    static constexpr std::uint64_t kUnitsPerCoverage = 10'000;
    // CoverageTally's units are finer.
    static constexpr auto kTallyUnitsPerUnit =
        static_cast<std::uint64_t>(CoverageTally::kUnitsPerCoverage) / kUnitsPerCoverage;

    std::uint32_t session = 0;
    std::uint32_t scored : 8 = 0;
    std::uint32_t units : 24 = 0;  // of the scored ones; a new entry starts before either overflows

    [[nodiscard]] std::uint64_t tally_units() const { return units * kTallyUnitsPerUnit; }
};

struct TierInfo {
    std::string id;
    std::string name;
    std::size_t total = 0;  // questions in the bank
    bool in_bank = true;
};

// A session's scored coverage, and the local day it started on.
struct SessionMean {
    std::uint64_t units = 0;
    std::uint64_t scored = 0;
    Date day{};
};

// The difference between the mean of the last kTrendSessions sessions and that of the ones
// before (fewer each when there are fewer than twice as many). `last` holds up to the last
// 2 * kTrendSessions of `total` sessions, in order. Sessions on one day say nothing yet about
// progress: three in an evening can move the mean by fifty points without anything having been
// remembered overnight, so a change needs the sessions compared to span more than one day.
std::optional<double> change_over(const std::vector<SessionMean>& last, std::size_t total) {
    if (total < 2) return std::nullopt;
    const std::size_t window = std::min(kTrendSessions, total / 2);
    const std::size_t n = last.size();
    if (last[n - 2 * window].day == last[n - 1].day) return std::nullopt;
    auto mean_of = [&](std::size_t begin, std::size_t end) {
        std::uint64_t units = 0;
        std::uint64_t scored = 0;
        for (std::size_t k = begin; k < end; ++k) {
            units += last[k].units;
            scored += last[k].scored;
        }
        return static_cast<double>(units) / CoverageTally::kUnitsPerCoverage / static_cast<double>(scored);
    };
    return mean_of(n - window, n) - mean_of(n - 2 * window, n - window);
}

// Sessions go by start, then by where they first appear in the history.
template <typename Session>
bool starts_before(const Session& a, const Session& b) {
    return a.started_at != b.started_at ? a.started_at < b.started_at : a.first_seen < b.first_seen;
}

struct RankedSession {
    Timestamp started_at{};
    std::uint64_t first_seen = 0;
    SessionMean mean;
};

// What a change needs of the sessions it is drawn from: how many there are, and the last
// 2 * kTrendSessions of them by rank.
struct TrendSessions {
    std::size_t total = 0;
    std::vector<RankedSession> last;  // earliest first

    void add(const RankedSession& session) {
        ++total;
        const auto at = std::upper_bound(last.begin(), last.end(), session, starts_before<RankedSession>);
        last.insert(at, session);
        if (last.size() > 2 * kTrendSessions) last.erase(last.begin());
    }

    // `later`'s sessions were first seen after all of these, numbered from `first_seen_offset`.
    void merge(const TrendSessions& later, std::uint64_t first_seen_offset) {
        const std::size_t sum = total + later.total;
        for (RankedSession session : later.last) {
            session.first_seen += first_seen_offset;
            add(session);
        }
        total = sum;
    }

    [[nodiscard]] std::optional<double> change() const {
        std::vector<SessionMean> means;
        for (const RankedSession& session : last) means.push_back(session.mean);
        return change_over(means, total);
    }
};

// The sessions no longer kept one by one, reduced to what a summary shows of them: their
// number, what the trends need and the days practised.
struct FoldedSessions {
    std::uint64_t count = 0;
    TrendSessions overall;
    std::vector<TrendSessions> tiers;  // by tier number
    std::vector<Date> days;  // practised; in order and each once after tidy_days()
    std::size_t tidy_days_count = 0;

    // Days are sorted in batches rather than inserted in place, so that a history whose times
    // jump about costs n log n, not n times the number of days.
    void add_day(Date day) {
        if (!days.empty() && days.back() == day) return;
        days.push_back(day);
        if (days.size() >= 2 * tidy_days_count + 1024) tidy_days();
    }

    void tidy_days() {
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        tidy_days_count = days.size();
    }

    // `later` from a later part of the history, its tiers numbered `tier_number[t]` here.
    void merge(const FoldedSessions& later, std::uint64_t first_seen_offset,
               const std::vector<std::uint32_t>& tier_number) {
        count += later.count;
        overall.merge(later.overall, first_seen_offset);
        for (std::size_t t = 0; t < later.tiers.size(); ++t) {
            if (tiers.size() <= tier_number[t]) tiers.resize(tier_number[t] + 1);
            tiers[tier_number[t]].merge(later.tiers[t], first_seen_offset);
        }
        days.insert(days.end(), later.days.begin(), later.days.end());
        tidy_days();
    }
};

// Numbers, in `into`, for the strings `from` numbered; numbers below `fixed` are the same in both.
template <typename Add>
std::vector<std::uint32_t> renumber(std::uint32_t fixed, const IdTable& from, Add add) {
    std::vector<std::uint32_t> numbers(fixed + from.size());
    for (std::uint32_t k = 0; k < fixed; ++k) numbers[k] = k;
    for (std::uint32_t k = 0; k < from.size(); ++k) numbers[fixed + k] = add(from[k]);
    return numbers;
}

}  // namespace

std::uint32_t SessionSelection::add(std::string_view id, Timestamp started_at) {
    if (window_.should_fold()) fold(window_.least_recent());
    const std::uint32_t session = window_.add(id);
    if (session == started_.size()) started_.push_back(started_at);
    started_[session] = std::min(started_[session], started_at);
    return session;
}

void SessionSelection::fold(const std::vector<SessionFate>& fates) {
    std::vector<Timestamp> kept;
    for (std::uint32_t k = 0; k < started_.size(); ++k) {
        if (fates[k] == SessionFate::Keep) kept.push_back(started_[k]);
        if (fates[k] == SessionFate::Fold)
            folded_.push_back({started_[k], window_.first_seen(k), std::string(window_.id(k))});
    }
    window_.close(fates);
    started_ = std::move(kept);
    keep_latest_folded();
}

void SessionSelection::keep_latest_folded() {
    // Trimmed once twice as many are held, so that each trim pays for the folds before it.
    if (!last_sessions_ || folded_.size() <= 2 * *last_sessions_) return;
    const auto first_kept = folded_.end() - static_cast<std::ptrdiff_t>(*last_sessions_);
    std::nth_element(folded_.begin(), first_kept, folded_.end(), starts_before<Folded>);
    folded_.erase(folded_.begin(), first_kept);
}

SessionSelection SessionSelection::part() const {
    SessionSelection later(last_sessions_);
    later.window_ = window_.part();
    return later;
}

void SessionSelection::merge(SessionSelection&& later) {
    const std::vector<std::uint32_t> number = window_.merge(later.window_);
    for (std::uint32_t k = 0; k < number.size(); ++k) {
        if (number[k] == started_.size()) started_.push_back(later.started_[k]);
        started_[number[k]] = std::min(started_[number[k]], later.started_[k]);
    }
    for (Folded& folded : later.folded_) {
        folded.first_seen += window_.first_seen_offset();
        folded_.push_back(std::move(folded));
    }
    keep_latest_folded();
}

std::vector<SessionSelection::Chosen> SessionSelection::chosen() const {
    struct Ranked {
        Timestamp started_at;
        std::uint64_t first_seen;
        Chosen chosen;
    };
    std::vector<Ranked> ranked;
    for (std::uint32_t k = 0; k < started_.size(); ++k)
        ranked.push_back({started_[k], window_.first_seen(k), {window_.id(k), started_[k], k}});
    for (const Folded& folded : folded_)
        ranked.push_back({folded.started_at, folded.first_seen, {folded.id, folded.started_at, IdTable::kNone}});
    std::sort(ranked.begin(), ranked.end(), starts_before<Ranked>);
    if (last_sessions_ && ranked.size() > *last_sessions_)
        ranked.erase(ranked.begin(), ranked.end() - static_cast<std::ptrdiff_t>(*last_sessions_));
    std::vector<Chosen> out;
    for (const Ranked& r : ranked) out.push_back(r.chosen);
    return out;
}

std::optional<double> DailyCoverage::tier(std::size_t place) const {
    const auto found = std::lower_bound(tier_means.begin(), tier_means.end(), place,
                                        [](const std::pair<std::size_t, double>& mean, std::size_t p) { return mean.first < p; });
    if (found == tier_means.end() || found->first != place) return std::nullopt;
    return found->second;
}

bool ProgressFilter::admits(std::string_view tier_id, Timestamp started_at) const {
    if (!tier_selected(tiers, tier_id)) return false;
    return !since || utc_offset.on_or_after(started_at, *since);
}

// What every part of a builder shares, read-only: the bank, the filter and the numbers of the
// bank's tiers and questions. A question's number is its index in the bank; tiers and
// questions the bank does not have are numbered after the bank's by each part.
struct Catalog {
    Catalog(const QuestionBank& b, ProgressFilter f, ReviewSettings r, ProgressDetail d, std::optional<std::size_t> w)
        : bank(b), filter(std::move(f)), review(std::move(r)), detail(d), session_window(w) {
        for (const Tier& tier : bank.tiers()) {
            tier_ids.add(tier.id);
            tiers.push_back(TierInfo{tier.id, tier.name, bank.count_in_tier(tier.id), true});
            tier_admitted.push_back(tier_selected(filter.tiers, tier.id));
        }
        for (const Question& question : bank.questions()) {
            // A question whose tier the bank lacks (only a bank built in code can have one)
            // gets that tier after the bank's, as a tier the history names would.
            const std::uint32_t tier = tier_ids.add(question.tier_id);
            if (tier == tiers.size()) {
                tiers.push_back(TierInfo{question.tier_id, question.tier_id, 0, false});
                tier_admitted.push_back(tier_selected(filter.tiers, question.tier_id));
            }
            question_tier.push_back(tier);
        }
        if (filter.since) since_at = filter.utc_offset.start_of(*filter.since);
    }

    const QuestionBank& bank;
    ProgressFilter filter;
    ReviewSettings review;
    ProgressDetail detail;
    std::optional<std::size_t> session_window;
    IdTable tier_ids;
    std::vector<TierInfo> tiers;
    std::vector<bool> tier_admitted;
    std::vector<std::uint32_t> question_tier;
    Timestamp since_at = kNever;  // the first second of the local day `since`
    std::shared_ptr<const IdTable> kept_sessions;

    // Whether sessions fold as the history is read: with --last and no choice given, which
    // sessions count is known only at the end.
    [[nodiscard]] bool folds_while_reading() const {
        return session_window && (!filter.last_sessions || kept_sessions);
    }
    [[nodiscard]] bool full() const { return detail == ProgressDetail::Full; }
};

struct ProgressBuilder::State {
    explicit State(std::shared_ptr<const Catalog> c)
        : catalog(std::move(c)),
          sessions(catalog->folds_while_reading() ? catalog->session_window : std::nullopt),
          tier_entries(catalog->tiers.size()),
          tier_totals(catalog->tiers.size()),
          schedules(catalog->bank, catalog->review),
          daily(catalog->tiers.size()) {}

    std::shared_ptr<const Catalog> catalog;
    IdTable extra_tiers;  // numbered after the catalog's
    std::vector<TierInfo> extra_tier_info;
    IdTable extra_questions;  // numbered after the bank's
    std::vector<std::uint32_t> extra_question_tier;
    // Missed labels the bank does not have, by question number: numbered after the bank's own.
    std::unordered_map<std::uint32_t, std::vector<std::string>> extra_labels;

    SessionWindow sessions;  // open only while among the last seen, with a window
    // Grown in blocks rather than by doubling and copying: with hundreds of thousands of
    // sessions, a doubled vector and its copy are most of what stats holds at its peak.
    std::deque<SessionList::Totals> session_totals;
    std::vector<std::deque<TierEntry>> tier_entries;  // by tier number
    std::vector<CoverageTally> tier_totals;            // by tier number
    CoverageTally overall;
    OutcomeCounts outcomes;
    QuestionTable questions;
    ReviewScheduleBuilder schedules;

    std::uint32_t last_tier = kNone;

    FoldedSessions folded;  // the sessions once folded
    // A full report's sessions once folded, one by one, and their daily means.
    SessionList listed;
    DailyTallies daily;

    [[nodiscard]] std::uint32_t bank_tier_count() const { return static_cast<std::uint32_t>(catalog->tiers.size()); }
    [[nodiscard]] std::uint32_t bank_question_count() const {
        return static_cast<std::uint32_t>(catalog->bank.questions().size());
    }
    [[nodiscard]] std::string_view tier_id(std::uint32_t tier) const {
        return tier < bank_tier_count() ? std::string_view(catalog->tiers[tier].id) : extra_tiers[tier - bank_tier_count()];
    }

    // The tier's number, if it has one yet.
    std::uint32_t known_tier(std::string_view id) {
        if (last_tier != kNone && tier_id(last_tier) == id) return last_tier;
        if (auto found = catalog->tier_ids.find(id)) return last_tier = *found;
        if (auto found = extra_tiers.find(id)) return last_tier = bank_tier_count() + *found;
        return kNone;
    }

    std::uint32_t add_tier(std::string_view id) {
        const std::uint32_t tier = bank_tier_count() + extra_tiers.add(id);
        if (tier >= tier_entries.size()) {
            extra_tier_info.push_back(TierInfo{std::string(id), std::string(id), 0, false});
            tier_entries.emplace_back();
            tier_totals.emplace_back();
        }
        return tier;
    }

    std::uint32_t add_question(std::string_view id, std::uint32_t tier) {
        const std::uint32_t number = extra_questions.add(id);
        if (number == extra_question_tier.size()) extra_question_tier.push_back(tier);
        return bank_question_count() + number;
    }

    std::uint32_t add_session(std::string_view id, Timestamp started_at) {
        const std::uint32_t session = sessions.add(id);
        if (session == session_totals.size()) session_totals.push_back(SessionList::Totals{started_at, started_at, {}});
        return session;
    }

    // Adds the sessions fated to fold to the folded figures, and in a full report to its list
    // of sessions and its daily means, where each session counts on the local day it started.
    void summarise(const std::vector<SessionFate>& fate) {
        const UtcOffset& offset = catalog->filter.utc_offset;
        const bool full = catalog->full();
        const auto count = static_cast<std::uint32_t>(sessions.size());
        std::vector<Date> start_day(count);
        for (std::uint32_t k = 0; k < count; ++k) {
            if (fate[k] != SessionFate::Fold) continue;
            const SessionList::Totals& totals = session_totals[k];
            ++folded.count;
            // A session's days of practice run from the day it started to the day it ended.
            start_day[k] = offset.date_of(totals.started_at);
            folded.add_day(start_day[k]);
            folded.add_day(offset.date_of(totals.ended_at));
            const SessionTally& c = totals.coverage;
            if (c.scored > 0) folded.overall.add({totals.started_at, sessions.first_seen(k), {c.units, c.scored, start_day[k]}});
            if (full) daily.add(start_day[k], DailyTallies::kOverall, c.units, c.scored);
        }
        // Every day a tier adds to below now has a row, which a tidy table finds.
        if (full) daily.tidy();
        if (folded.tiers.size() < tier_entries.size()) folded.tiers.resize(tier_entries.size());
        std::vector<std::uint64_t> units(count, 0);
        std::vector<std::uint32_t> scored(count, 0);
        std::vector<std::uint32_t> touched;
        for (std::uint32_t t = 0; t < tier_entries.size(); ++t) {
            for (const TierEntry& entry : tier_entries[t]) {
                if (fate[entry.session] != SessionFate::Fold || entry.scored == 0) continue;
                if (scored[entry.session] == 0) touched.push_back(entry.session);
                units[entry.session] += entry.tally_units();
                scored[entry.session] += entry.scored;
            }
            for (std::uint32_t k : touched) {
                folded.tiers[t].add(
                    {session_totals[k].started_at, sessions.first_seen(k), {units[k], scored[k], start_day[k]}});
                if (full) daily.add(start_day[k], DailyTallies::column_of(t), units[k], scored[k]);
                units[k] = scored[k] = 0;
            }
            touched.clear();
        }
        if (full) list(fate);
    }

    // Adds the sessions fated to fold to the list, each with its tiers in tier order (the
    // bank's first), each once: counted, then listed.
    void list(const std::vector<SessionFate>& fate) {
        const auto count = static_cast<std::uint32_t>(sessions.size());
        std::vector<std::uint32_t> tier_starts(count + 1, 0);
        std::vector<std::uint32_t> last_listed(count, 0);  // the tier last listed, plus one
        for (std::uint32_t t = 0; t < tier_entries.size(); ++t)
            for (const TierEntry& entry : tier_entries[t])
                if (fate[entry.session] == SessionFate::Fold && last_listed[entry.session] != t + 1) {
                    last_listed[entry.session] = t + 1;
                    ++tier_starts[entry.session + 1];
                }
        std::partial_sum(tier_starts.begin(), tier_starts.end(), tier_starts.begin());
        std::vector<std::uint32_t> tier_numbers(tier_starts.back());
        std::vector<std::uint32_t> next(tier_starts.begin(), tier_starts.end() - 1);
        std::fill(last_listed.begin(), last_listed.end(), 0);
        for (std::uint32_t t = 0; t < tier_entries.size(); ++t)
            for (const TierEntry& entry : tier_entries[t])
                if (fate[entry.session] == SessionFate::Fold && last_listed[entry.session] != t + 1) {
                    last_listed[entry.session] = t + 1;
                    tier_numbers[next[entry.session]++] = t;
                }
        const std::span<const std::uint32_t> all_tiers(tier_numbers);
        for (std::uint32_t k = 0; k < count; ++k)
            if (fate[k] == SessionFate::Fold)
                listed.add(sessions.id(k), session_totals[k], sessions.first_seen(k),
                           all_tiers.subspan(tier_starts[k], tier_starts[k + 1] - tier_starts[k]));
    }

    // Folds the sessions fated to, forgets those to drop, and renumbers the ones kept in the
    // order they were numbered, which is the order they were first seen.
    void fold(const std::vector<SessionFate>& fate) {
        summarise(fate);
        const std::vector<std::uint32_t> number = sessions.close(fate);
        std::deque<SessionList::Totals> kept_totals;
        for (std::uint32_t k = 0; k < number.size(); ++k)
            if (number[k] != kNone) kept_totals.push_back(session_totals[k]);
        session_totals = std::move(kept_totals);
        for (std::deque<TierEntry>& entries : tier_entries) {
            std::deque<TierEntry> kept;
            for (const TierEntry& entry : entries)
                if (number[entry.session] != kNone)
                    kept.push_back(TierEntry{number[entry.session], entry.scored, entry.units});
            entries = std::move(kept);
        }
    }

    // The concept number of `label` among the question's: the bank's concepts first.
    std::uint32_t concept_of(std::uint32_t question, std::string_view label) {
        std::uint32_t number = 0;
        if (question < bank_question_count()) {
            for (const Concept& c : catalog->bank.questions()[question].concepts) {
                if (c.label == label) return number;
                ++number;
            }
        }
        auto found = extra_labels.find(question);
        if (found == extra_labels.end()) found = extra_labels.emplace(question, std::vector<std::string>{}).first;
        std::vector<std::string>& extra = found->second;
        for (const std::string& known : extra) {
            if (known == label) return number;
            ++number;
        }
        extra.emplace_back(label);
        return number;
    }

    [[nodiscard]] std::string_view concept_label(std::uint32_t question, std::uint32_t number) const {
        if (question < bank_question_count()) {
            const auto& concepts = catalog->bank.questions()[question].concepts;
            if (number < concepts.size()) return concepts[number].label;
            number -= static_cast<std::uint32_t>(concepts.size());
        }
        return extra_labels.at(question)[number];
    }

    void add_to_tier(std::uint32_t tier, std::uint32_t session, bool scored, double coverage) {
        std::deque<TierEntry>& entries = tier_entries[tier];
        const auto units = static_cast<std::uint32_t>(
            scored ? std::llround(std::clamp(coverage, 0.0, 1.0) * TierEntry::kUnitsPerCoverage) : 0);
        if (entries.empty() || entries.back().session != session || entries.back().scored == TierEntry::kMaxScored ||
            entries.back().units > TierEntry::kMaxUnits - units)
            entries.push_back(TierEntry{session});
        entries.back().scored += scored ? 1 : 0;
        entries.back().units += units;
    }

    void add(const AttemptView& attempt, std::optional<std::size_t> bank_question);
};

void ProgressBuilder::State::add(const AttemptView& attempt, std::optional<std::size_t> bank_question) {
    // The history will be read again; what is left of this reading would only cost time.
    if (sessions.out_of_order()) return;
    // A question's schedule depends on all of its history, whatever the filter shows.
    if (bank_question) schedules.add(*bank_question, attempt);

    std::uint32_t tier = known_tier(attempt.tier_id);
    const bool tier_admitted = tier < bank_tier_count() ? catalog->tier_admitted[tier]
                                                        : tier_selected(catalog->filter.tiers, attempt.tier_id);
    if (!tier_admitted || attempt.started_at < catalog->since_at) return;
    if (catalog->kept_sessions && !catalog->kept_sessions->find(attempt.session_id)) return;
    if (tier == kNone) tier = last_tier = add_tier(attempt.tier_id);
    const std::uint32_t question = bank_question ? static_cast<std::uint32_t>(*bank_question)
                                                 : add_question(attempt.question_id, tier);
    if (sessions.should_fold()) fold(sessions.least_recent());
    const std::uint32_t session = add_session(attempt.session_id, attempt.started_at);

    const bool scored = is_scored(attempt);
    SessionList::Totals& totals = session_totals[session];
    totals.started_at = std::min(totals.started_at, attempt.started_at);
    totals.ended_at = std::max(totals.ended_at, attempt.started_at);
    totals.coverage.add(scored, attempt.coverage);
    count(outcomes, attempt.outcome);
    overall.add(scored, attempt.coverage);
    tier_totals[tier].add(scored, attempt.coverage);
    add_to_tier(tier, session, scored, attempt.coverage);

    QuestionAcc& acc = questions.at(question);
    acc.coverage.add(scored, attempt.coverage);
    acc.last_attempt_at = std::max(acc.last_attempt_at, attempt.started_at);
    if (!scored) return;
    // The later line wins a tie: it was written last.
    const bool latest = attempt.started_at >= acc.latest_scored_at;
    if (latest) {
        acc.latest_scored_at = attempt.started_at;
        acc.latest = attempt.coverage;
        acc.latest_missed.clear();
    }
    for (std::string_view label : attempt.missed) {
        const std::uint32_t c = concept_of(question, label);
        count_missed(acc.missed_counts, c, 1);
        if (latest) acc.latest_missed.push_back(c);
    }
}

ProgressBuilder::ProgressBuilder(const QuestionBank& bank, ProgressFilter filter, ReviewSettings review,
                                 ProgressDetail detail, std::optional<std::size_t> session_window)
    : state_(std::make_unique<State>(
          std::make_shared<const Catalog>(bank, std::move(filter), std::move(review), detail, session_window))) {}

ProgressBuilder::ProgressBuilder(std::unique_ptr<State> state) : state_(std::move(state)) {}
ProgressBuilder::~ProgressBuilder() = default;
ProgressBuilder::ProgressBuilder(ProgressBuilder&&) noexcept = default;
ProgressBuilder& ProgressBuilder::operator=(ProgressBuilder&&) noexcept = default;

void ProgressBuilder::keep_sessions(const SessionSelection& selection) {
    auto kept = std::make_shared<IdTable>();
    for (const SessionSelection::Chosen& session : selection.chosen()) kept->add(session.id);
    auto catalog = std::make_shared<Catalog>(*state_->catalog);
    catalog->kept_sessions = std::move(kept);
    state_ = std::make_unique<State>(std::move(catalog));
}

void ProgressBuilder::add(const Attempt& attempt) {
    const std::vector<std::string_view> covered(attempt.covered.begin(), attempt.covered.end());
    const std::vector<std::string_view> missed(attempt.missed.begin(), attempt.missed.end());
    AttemptView view{attempt.session_id, attempt.question_id, attempt.tier_id, attempt.started_at, attempt.seconds,
                     attempt.outcome, attempt.coverage, covered, missed, attempt.answer, attempt.retry,
                     attempt.suggested_rating, attempt.chosen_rating};
    add(view);
}

void ProgressBuilder::add(const AttemptView& attempt) {
    state_->add(attempt, state_->catalog->bank.exact_question_index(attempt.question_id));
}

ProgressBuilder ProgressBuilder::part() const {
    auto later = std::make_unique<State>(state_->catalog);
    later->schedules = state_->schedules.part();
    later->sessions = state_->sessions.part();
    return ProgressBuilder(std::move(later));
}

void ProgressBuilder::merge(ProgressBuilder&& later_builder) {
    State& s = *state_;
    State& later = *later_builder.state_;

    const std::vector<std::uint32_t> tier_number =
        renumber(s.bank_tier_count(), later.extra_tiers, [&](std::string_view id) { return s.add_tier(id); });
    std::vector<std::uint32_t> question_number(s.bank_question_count() + later.extra_questions.size());
    for (std::uint32_t q = 0; q < s.bank_question_count(); ++q) question_number[q] = q;
    for (std::uint32_t k = 0; k < later.extra_questions.size(); ++k)
        question_number[s.bank_question_count() + k] =
            s.add_question(later.extra_questions[k], tier_number[later.extra_question_tier[k]]);
    // Concept numbers: a question's bank concepts keep theirs; the labels a part added follow.
    auto concept_number = [&](std::uint32_t later_question, std::uint32_t c) {
        const std::uint32_t bank_concepts =
            later_question < s.bank_question_count()
                ? static_cast<std::uint32_t>(s.catalog->bank.questions()[later_question].concepts.size())
                : 0;
        if (c < bank_concepts) return c;
        return s.concept_of(question_number[later_question], later.concept_label(later_question, c));
    };
    // Labels the bank lacks are numbered as first met. The later part's are taken in its order,
    // so that they follow this part's as in one reading of the whole history, whatever order
    // its latest attempts list them in below.
    for (const auto& [question, labels] : later.extra_labels)
        for (const std::string& label : labels) s.concept_of(question_number[question], label);

    const std::vector<std::uint32_t> session_number = s.sessions.merge(later.sessions);
    if (s.sessions.out_of_order()) {
        later_builder.state_.reset();
        return;
    }
    // The later part's blocks are freed as they are copied, so that both copies are never
    // held whole at once.
    for (std::uint32_t into : session_number) {
        const SessionList::Totals& from = later.session_totals.front();
        if (into == s.session_totals.size()) {
            s.session_totals.push_back(from);
        } else {
            SessionList::Totals& totals = s.session_totals[into];
            totals.started_at = std::min(totals.started_at, from.started_at);
            totals.ended_at = std::max(totals.ended_at, from.ended_at);
            totals.coverage.merge(from.coverage);
        }
        later.session_totals.pop_front();
    }
    for (std::uint32_t t = 0; t < later.tier_entries.size(); ++t) {
        std::deque<TierEntry>& from = later.tier_entries[t];
        std::deque<TierEntry>& entries = s.tier_entries[tier_number[t]];
        for (; !from.empty(); from.pop_front())
            entries.push_back(TierEntry{session_number[from.front().session], from.front().scored, from.front().units});
        s.tier_totals[tier_number[t]].merge(later.tier_totals[t]);
    }
    s.folded.merge(later.folded, s.sessions.first_seen_offset(), tier_number);
    s.listed.merge(std::move(later.listed), s.sessions.first_seen_offset(), tier_number);
    s.daily.merge(later.daily, tier_number);
    s.overall.merge(later.overall);
    ehrprep::merge(s.outcomes, later.outcomes);

    for (const QuestionAcc& from : later.questions.rows()) {
        QuestionAcc& into = s.questions.at(question_number[from.question]);
        into.coverage.merge(from.coverage);
        into.last_attempt_at = std::max(into.last_attempt_at, from.last_attempt_at);
        // The later part's lines come after: it wins a tie, as a later line does.
        if (from.latest_scored_at != kNever && from.latest_scored_at >= into.latest_scored_at) {
            into.latest_scored_at = from.latest_scored_at;
            into.latest = from.latest;
            into.latest_missed.clear();
            for (std::uint32_t c : from.latest_missed) into.latest_missed.push_back(concept_number(from.question, c));
        }
        for (std::uint32_t c = 0; c < from.missed_counts.size(); ++c)
            if (from.missed_counts[c] > 0)
                count_missed(into.missed_counts, concept_number(from.question, c), from.missed_counts[c]);
    }
    s.schedules.merge(std::move(later.schedules));
    later_builder.state_.reset();
}

bool ProgressBuilder::needs_second_reading() const { return state_->sessions.out_of_order(); }

ProgressReport ProgressBuilder::finish(Date today, Timestamp now) && {
    State& s = *state_;
    const Catalog& catalog = *s.catalog;
    const ProgressFilter& filter = catalog.filter;
    ProgressReport report;
    report.bank_title = catalog.bank.title();
    report.today = today;
    report.filter = filter;
    report.outcomes = s.outcomes;
    report.overall.coverage = s.overall.stats();

    const auto session_count = static_cast<std::uint32_t>(s.sessions.size());
    std::vector<std::uint32_t> order(session_count);
    for (std::uint32_t k = 0; k < session_count; ++k) order[k] = k;
    // Numbered by first appearance, so a stable sort by start breaks ties that way. Sessions
    // mostly appear in the order they started.
    auto by_start = [&](std::uint32_t a, std::uint32_t b) {
        return s.session_totals[a].started_at < s.session_totals[b].started_at;
    };
    if (!std::is_sorted(order.begin(), order.end(), by_start)) std::stable_sort(order.begin(), order.end(), by_start);
    // Only when the builder was not given the choice: then the sessions shown are cut here.
    if (filter.last_sessions && !catalog.kept_sessions && order.size() > *filter.last_sessions)
        order.erase(order.begin(), order.end() - static_cast<std::ptrdiff_t>(*filter.last_sessions));
    const bool full = catalog.detail == ProgressDetail::Full;

    // The sessions shown are folded as the others were while the history was read: into the
    // trends and the streaks, and in a full report into its list and its daily means.
    std::vector<SessionFate> fate(session_count, SessionFate::Drop);
    for (std::uint32_t session : order) fate[session] = SessionFate::Fold;
    s.summarise(fate);
    report.session_count = s.folded.count;
    s.folded.tidy_days();
    const std::vector<Date>& practice_days = s.folded.days;
    report.overall.change = s.folded.overall.change();

    // Questions, bank order first.
    const auto tier_count = static_cast<std::uint32_t>(s.tier_entries.size());
    auto tier_info = [&](std::uint32_t t) -> const TierInfo& {
        return t < s.bank_tier_count() ? catalog.tiers[t] : s.extra_tier_info[t - s.bank_tier_count()];
    };
    std::vector<std::size_t> practised(tier_count, 0);
    std::vector<const QuestionAcc*> rows;
    for (const QuestionAcc& row : s.questions.rows()) rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](const QuestionAcc* a, const QuestionAcc* b) { return a->question < b->question; });
    const std::vector<QuestionSchedule> schedules = s.schedules.finish(now);
    for (const QuestionAcc* row : rows) {
        const bool in_bank = row->question < s.bank_question_count();
        const std::uint32_t tier = in_bank ? catalog.question_tier[row->question]
                                           : s.extra_question_tier[row->question - s.bank_question_count()];
        // A question the bank no longer has cannot count towards the bank's total.
        if (row->coverage.scored > 0 && (in_bank || !tier_info(tier).in_bank)) ++practised[tier];
        QuestionProgress& q = report.questions.emplace_back();
        q.tier_id = tier_info(tier).id;
        q.in_bank = in_bank;
        if (in_bank) {
            const Question& question = catalog.bank.questions()[row->question];
            q.id = question.id;
            q.text = question.text;
            q.hint = question.hint;
            const QuestionSchedule& schedule = schedules[row->question];
            if (!schedule.is_new()) {
                q.review_due_at = schedule.card->due;
                q.retrievability = schedule.retrievability;
                q.last_review_at = schedule.card->last_review;
                if (schedule.due_by(now)) ++report.reviews_due_now;
            }
        } else {
            q.id = s.extra_questions[row->question - s.bank_question_count()];
        }
        q.coverage = row->coverage.stats();
        if (row->last_attempt_at != kNever) q.last_attempt_at = row->last_attempt_at;
        if (row->latest_scored_at != kNever) {
            q.latest_coverage = row->latest;
            for (std::uint32_t c : row->latest_missed) q.latest_missed.emplace_back(s.concept_label(row->question, c));
        }
        for (std::uint32_t c = 0; c < row->missed_counts.size(); ++c)
            if (row->missed_counts[c] > 0)
                report.most_missed.push_back({std::string(s.concept_label(row->question, c)), q.id,
                                              row->missed_counts[c], row->coverage.scored});
    }

    // Tiers: the bank's (those asked for), then any the history names that the bank lacks.
    std::vector<std::uint32_t> shown_tiers;
    for (std::uint32_t t = 0; t < tier_count; ++t) {
        const TierInfo& info = tier_info(t);
        const bool asked = tier_selected(filter.tiers, info.id);
        if (!asked || (!info.in_bank && s.tier_totals[t].attempts == 0)) continue;
        shown_tiers.push_back(t);
        TierProgress& tier = report.tiers.emplace_back();
        tier.id = info.id;
        tier.name = info.name;
        tier.questions_total = info.total;
        tier.questions_practised = practised[t];
        tier.coverage = s.tier_totals[t].stats();
        report.overall.questions_total += tier.questions_total;
        report.overall.questions_practised += tier.questions_practised;
    }
    report.overall.id = "all";
    report.overall.name = "All";

    for (std::size_t column = 0; column < shown_tiers.size(); ++column) {
        const std::uint32_t t = shown_tiers[column];
        if (t < s.folded.tiers.size()) report.tiers[column].change = s.folded.tiers[t].change();
    }

    for (std::size_t k = 0; k < report.questions.size(); ++k)
        if (report.questions[k].latest_coverage && *report.questions[k].latest_coverage < kStrongCoverage)
            report.weakest.push_back(k);
    std::stable_sort(report.weakest.begin(), report.weakest.end(), [&](std::size_t a, std::size_t b) {
        return *report.questions[a].latest_coverage < *report.questions[b].latest_coverage;
    });

    std::stable_sort(report.most_missed.begin(), report.most_missed.end(),
                     [](const ConceptMisses& a, const ConceptMisses& b) {
                         if (a.missed != b.missed) return a.missed > b.missed;
                         // The same count out of fewer attempts is the weaker point.
                         return a.missed * b.scored_attempts > b.missed * a.scored_attempts;
                     });
    if (report.most_missed.size() > kMostMissedKept) report.most_missed.resize(kMostMissedKept);

    s.daily.tidy();
    std::size_t scored_days = 0;
    for (std::size_t row = 0; row < s.daily.rows(); ++row)
        if (s.daily.tally(row, DailyTallies::kOverall).scored > 0) ++scored_days;
    report.daily.reserve(scored_days);
    s.daily.drain([&](Date date, auto tally) {
        const CoverageTally overall = tally(DailyTallies::kOverall);
        if (overall.scored == 0) return;
        DailyCoverage& out = report.daily.emplace_back();
        out.date = date;
        out.overall = overall.stats().mean();
        for (std::size_t place = 0; place < shown_tiers.size(); ++place)
            if (const auto mean = tally(DailyTallies::column_of(shown_tiers[place])).stats().mean())
                out.tier_means.emplace_back(place, *mean);
    });

    std::size_t run = 0;
    for (std::size_t k = 0; k < practice_days.size(); ++k) {
        run = (k > 0 && practice_days[k] - practice_days[k - 1] == days{1}) ? run + 1 : 1;
        report.longest_streak_days = std::max(report.longest_streak_days, run);
    }
    if (!practice_days.empty()) {
        report.last_practised = practice_days.back();
        if (today - practice_days.back() <= days{1}) report.current_streak_days = run;
    }

    if (!full) return report;
    std::vector<std::string> tier_ids;
    for (std::uint32_t t = 0; t < tier_count; ++t) tier_ids.push_back(tier_info(t).id);
    s.listed.name_tiers(std::move(tier_ids));
    s.listed.sort_by_start();
    report.sessions = std::move(s.listed);
    return report;
}

}  // namespace ehrprep
