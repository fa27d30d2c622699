#include "ehrprep/progress.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>

#include "ehrprep/scorer.hpp"

namespace ehrprep {
namespace {

using namespace std::chrono;

void merge(OutcomeCounts& into, const OutcomeCounts& from) {
    into.answered += from.answered;
    into.timed_out += from.timed_out;
    into.skipped += from.skipped;
    into.quit += from.quit;
}

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

template <typename T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

constexpr Timestamp kNever = Timestamp::min();

struct QuestionAcc {
    std::uint32_t question = 0;
    CoverageStats coverage;
    Timestamp last_attempt_at = kNever;
    Timestamp latest_scored_at = kNever;
    double latest = 0.0;
    std::vector<std::uint32_t> latest_missed;  // concept indices of the question
    std::vector<std::uint64_t> missed_counts;  // by concept index
};

void count_missed(std::vector<std::uint64_t>& counts, std::uint32_t concept_index, std::uint64_t n) {
    if (counts.size() <= concept_index) counts.resize(concept_index + 1, 0);
    counts[concept_index] += n;
}

// Per-question sums, dense over the whole history or sparse within one session.
class QuestionTable {
public:
    explicit QuestionTable(bool dense) : dense_(dense) {}

    QuestionAcc& at(std::uint32_t question) {
        if (dense_) {
            if (slot_.size() <= question) slot_.resize(question + 1, -1);
            if (slot_[question] < 0) {
                slot_[question] = static_cast<std::int32_t>(rows_.size());
                rows_.push_back(QuestionAcc{question, {}, kNever, kNever, 0.0, {}, {}});
            }
            return rows_[static_cast<std::size_t>(slot_[question])];
        }
        for (QuestionAcc& row : rows_)
            if (row.question == question) return row;
        rows_.push_back(QuestionAcc{question, {}, kNever, kNever, 0.0, {}, {}});
        return rows_.back();
    }

    void merge_from(const QuestionTable& other) {
        for (const QuestionAcc& from : other.rows_) {
            QuestionAcc& into = at(from.question);
            into.coverage.merge(from.coverage);
            into.last_attempt_at = std::max(into.last_attempt_at, from.last_attempt_at);
            if (from.latest_scored_at != kNever && from.latest_scored_at >= into.latest_scored_at) {
                into.latest_scored_at = from.latest_scored_at;
                into.latest = from.latest;
                into.latest_missed = from.latest_missed;
            }
            for (std::uint32_t c = 0; c < from.missed_counts.size(); ++c)
                if (from.missed_counts[c] > 0) count_missed(into.missed_counts, c, from.missed_counts[c]);
        }
    }

    [[nodiscard]] const std::vector<QuestionAcc>& rows() const { return rows_; }

private:
    bool dense_;
    std::vector<std::int32_t> slot_;
    std::vector<QuestionAcc> rows_;
};

struct QuestionInfo {
    std::string id;
    std::uint32_t tier = 0;
    const Question* bank = nullptr;
    std::vector<std::string> concepts;  // the bank's labels, then any unknown label seen in history
};

struct TierInfo {
    std::string id;
    std::string name;
    std::size_t total = 0;
    bool in_bank = true;
};

struct SessionAcc {
    Timestamp last = kNever;
    CoverageStats coverage;
    OutcomeCounts outcomes;
    std::vector<std::pair<std::uint32_t, CoverageStats>> tiers;
    std::unique_ptr<QuestionTable> detail;  // only when only some sessions will be kept
};

// A session's scored coverage, and the local day it started on.
struct SessionMean {
    double coverage_sum = 0.0;
    std::uint64_t scored = 0;
    Date day;
};

// Sessions on one day say nothing yet about progress: three in an evening can move the mean by
// fifty points without anything having been remembered overnight. So a change needs the
// sessions compared to span more than one day.
std::optional<double> change_over(const std::vector<SessionMean>& sessions) {
    if (sessions.size() < 2) return std::nullopt;
    const std::size_t window = std::min(kTrendSessions, sessions.size() / 2);
    const std::size_t n = sessions.size();
    if (sessions[n - 2 * window].day == sessions[n - 1].day) return std::nullopt;
    auto mean_of = [&](std::size_t begin, std::size_t end) {
        double sum = 0;
        std::uint64_t count = 0;
        for (std::size_t k = begin; k < end; ++k) {
            sum += sessions[k].coverage_sum;
            count += sessions[k].scored;
        }
        return sum / static_cast<double>(count);
    };
    return mean_of(n - window, n) - mean_of(n - 2 * window, n - window);
}

}  // namespace

std::uint32_t SessionSelection::add(const Attempt& admitted) {
    if (last_added_ < sessions_.size() && sessions_[last_added_].id == admitted.session_id) {
        Session& session = sessions_[last_added_];
        session.started_at = std::min(session.started_at, admitted.started_at);
        return last_added_;
    }
    auto [found, added] = index_.try_emplace(admitted.session_id, static_cast<std::uint32_t>(sessions_.size()));
    if (added) sessions_.push_back(Session{admitted.session_id, admitted.started_at});
    last_added_ = found->second;
    Session& session = sessions_[last_added_];
    session.started_at = std::min(session.started_at, admitted.started_at);
    return last_added_;
}

std::vector<std::uint32_t> SessionSelection::chosen() const {
    std::vector<std::uint32_t> order(sessions_.size());
    for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    // Numbered by first appearance, so a stable sort by start breaks ties that way.
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return sessions_[a].started_at < sessions_[b].started_at;
    });
    if (last_sessions_ && order.size() > *last_sessions_)
        order.erase(order.begin(), order.end() - static_cast<std::ptrdiff_t>(*last_sessions_));
    return order;
}

bool ProgressFilter::admits(const Attempt& attempt) const {
    if (!tier_selected(tiers, attempt.tier_id)) return false;
    if (since && local_date(attempt.started_at, utc_offset) < *since) return false;
    return true;
}

struct ProgressBuilder::State {
    State(const QuestionBank& b, ProgressFilter f)
        : bank(b), filter(std::move(f)), selection(filter.last_sessions), global(true) {}

    const QuestionBank& bank;
    ProgressFilter filter;
    std::vector<TierInfo> tiers;
    StringMap<std::uint32_t> tier_index;
    std::vector<QuestionInfo> questions;
    StringMap<std::uint32_t> question_index;
    SessionSelection selection;
    std::vector<SessionAcc> sessions;  // numbered as `selection` numbers them
    QuestionTable global;

    std::uint32_t last_tier = std::numeric_limits<std::uint32_t>::max();

    std::uint32_t tier_of(const std::string& id) {
        if (last_tier < tiers.size() && tiers[last_tier].id == id) return last_tier;
        if (auto found = tier_index.find(id); found != tier_index.end()) return last_tier = found->second;
        const auto index = static_cast<std::uint32_t>(tiers.size());
        tiers.push_back(TierInfo{id, id, 0, false});
        tier_index.emplace(id, index);
        return index;
    }

    std::uint32_t question_of(const Attempt& attempt, std::uint32_t tier) {
        if (auto found = question_index.find(attempt.question_id); found != question_index.end()) return found->second;
        const auto index = static_cast<std::uint32_t>(questions.size());
        questions.push_back(QuestionInfo{attempt.question_id, tier, nullptr, {}});
        question_index.emplace(attempt.question_id, index);
        return index;
    }

    SessionAcc& session_of(const Attempt& attempt) {
        const std::uint32_t index = selection.add(attempt);
        if (index < sessions.size()) return sessions[index];
        SessionAcc& session = sessions.emplace_back();
        if (filter.last_sessions) session.detail = std::make_unique<QuestionTable>(false);
        return session;
    }

    static std::uint32_t concept_of(QuestionInfo& question, const std::string& label) {
        for (std::uint32_t k = 0; k < question.concepts.size(); ++k)
            if (question.concepts[k] == label) return k;
        question.concepts.push_back(label);
        return static_cast<std::uint32_t>(question.concepts.size() - 1);
    }
};

ProgressBuilder::ProgressBuilder(const QuestionBank& bank, ProgressFilter filter)
    : state_(std::make_unique<State>(bank, std::move(filter))) {
    State& s = *state_;
    for (const Tier& tier : bank.tiers()) {
        s.tier_index.emplace(tier.id, static_cast<std::uint32_t>(s.tiers.size()));
        s.tiers.push_back(TierInfo{tier.id, tier.name, bank.count_in_tier(tier.id), true});
    }
    for (const Question& question : bank.questions()) {
        QuestionInfo info{question.id, s.tier_of(question.tier_id), &question, {}};
        for (const Concept& c : question.concepts) info.concepts.push_back(c.label);
        s.question_index.emplace(question.id, static_cast<std::uint32_t>(s.questions.size()));
        s.questions.push_back(std::move(info));
    }
}

ProgressBuilder::~ProgressBuilder() = default;
ProgressBuilder::ProgressBuilder(ProgressBuilder&&) noexcept = default;
ProgressBuilder& ProgressBuilder::operator=(ProgressBuilder&&) noexcept = default;

void ProgressBuilder::add(const Attempt& attempt) {
    State& s = *state_;
    if (!s.filter.admits(attempt)) return;
    const std::uint32_t tier = s.tier_of(attempt.tier_id);
    const std::uint32_t question = s.question_of(attempt, tier);

    SessionAcc& session = s.session_of(attempt);
    session.last = std::max(session.last, attempt.started_at);
    session.coverage.add(attempt);
    switch (attempt.outcome) {
        case Outcome::Answered: ++session.outcomes.answered; break;
        case Outcome::TimedOut: ++session.outcomes.timed_out; break;
        case Outcome::Skipped: ++session.outcomes.skipped; break;
        case Outcome::Quit: ++session.outcomes.quit; break;
    }
    auto tier_stats = std::find_if(session.tiers.begin(), session.tiers.end(),
                                   [&](const auto& entry) { return entry.first == tier; });
    if (tier_stats == session.tiers.end()) tier_stats = session.tiers.insert(session.tiers.end(), {tier, {}});
    tier_stats->second.add(attempt);

    QuestionAcc& acc = (session.detail ? *session.detail : s.global).at(question);
    acc.coverage.add(attempt);
    acc.last_attempt_at = std::max(acc.last_attempt_at, attempt.started_at);
    if (!is_scored(attempt)) return;
    QuestionInfo& info = s.questions[question];
    const bool latest = attempt.started_at >= acc.latest_scored_at;
    if (latest) {
        acc.latest_scored_at = attempt.started_at;
        acc.latest = attempt.coverage;
        acc.latest_missed.clear();
    }
    for (const std::string& label : attempt.missed) {
        const std::uint32_t c = State::concept_of(info, label);
        count_missed(acc.missed_counts, c, 1);
        if (latest) acc.latest_missed.push_back(c);
    }
}

ProgressReport ProgressBuilder::finish(Date today) && {
    State& s = *state_;
    ProgressReport report;
    report.bank_title = s.bank.title();
    report.today = today;
    report.filter = s.filter;

    const std::vector<std::uint32_t> chosen = s.selection.chosen();

    QuestionTable merged_detail(true);
    if (s.filter.last_sessions)
        for (std::uint32_t k : chosen) merged_detail.merge_from(*s.sessions[k].detail);
    const QuestionTable& table = s.filter.last_sessions ? merged_detail : s.global;

    // Tiers: the bank's (those asked for), then any the history names that the bank lacks.
    std::vector<CoverageStats> tier_stats(s.tiers.size());
    std::vector<std::vector<SessionMean>> tier_sessions(s.tiers.size());
    std::vector<SessionMean> all_sessions;
    std::map<Date, std::pair<CoverageStats, std::vector<CoverageStats>>> by_day;
    std::vector<Date> practice_days;
    for (std::uint32_t k : chosen) {
        const SessionAcc* session = &s.sessions[k];
        const Timestamp started_at = s.selection.started_at(k);
        merge(report.outcomes, session->outcomes);
        report.overall.coverage.merge(session->coverage);
        const Date day = local_date(started_at, s.filter.utc_offset);
        if (session->coverage.scored > 0)
            all_sessions.push_back({session->coverage.coverage_sum, session->coverage.scored, day});
        auto& daily = by_day[day];
        daily.first.merge(session->coverage);
        daily.second.resize(s.tiers.size());
        for (const auto& [tier, stats] : session->tiers) {
            tier_stats[tier].merge(stats);
            daily.second[tier].merge(stats);
            if (stats.scored > 0) tier_sessions[tier].push_back({stats.coverage_sum, stats.scored, day});
        }
        practice_days.push_back(day);
        practice_days.push_back(local_date(session->last, s.filter.utc_offset));

        SessionProgress& out = report.sessions.emplace_back();
        out.id = s.selection.id(k);
        out.started_at = started_at;
        out.ended_at = session->last;
        out.coverage = session->coverage;
        std::vector<std::uint32_t> ids;
        for (const auto& entry : session->tiers) ids.push_back(entry.first);
        std::sort(ids.begin(), ids.end());
        for (std::uint32_t tier : ids) out.tiers.push_back(s.tiers[tier].id);
    }

    std::vector<std::size_t> practised(s.tiers.size(), 0);
    std::vector<const QuestionAcc*> rows;
    for (const QuestionAcc& row : table.rows()) rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](const QuestionAcc* a, const QuestionAcc* b) { return a->question < b->question; });
    for (const QuestionAcc* row : rows) {
        const QuestionInfo& info = s.questions[row->question];
        // A question the bank no longer has cannot count towards the bank's total.
        if (row->coverage.scored > 0 && (info.bank != nullptr || !s.tiers[info.tier].in_bank)) ++practised[info.tier];
        QuestionProgress& q = report.questions.emplace_back();
        q.id = info.id;
        q.tier_id = s.tiers[info.tier].id;
        q.in_bank = info.bank != nullptr;
        if (info.bank != nullptr) {
            q.text = info.bank->text;
            q.hint = info.bank->hint;
        }
        q.coverage = row->coverage;
        if (row->last_attempt_at != kNever) q.last_attempt_at = row->last_attempt_at;
        if (row->latest_scored_at != kNever) {
            q.latest_coverage = row->latest;
            for (std::uint32_t c : row->latest_missed) q.latest_missed.push_back(info.concepts[c]);
        }
        for (std::uint32_t c = 0; c < row->missed_counts.size(); ++c)
            if (row->missed_counts[c] > 0)
                report.most_missed.push_back({info.concepts[c], info.id, row->missed_counts[c], row->coverage.scored});
    }

    for (std::size_t t = 0; t < s.tiers.size(); ++t) {
        const TierInfo& info = s.tiers[t];
        const bool asked = tier_selected(s.filter.tiers, info.id);
        if (!asked || (!info.in_bank && tier_stats[t].attempts == 0)) continue;
        TierProgress& tier = report.tiers.emplace_back();
        tier.id = info.id;
        tier.name = info.name;
        tier.questions_total = info.total;
        tier.questions_practised = practised[t];
        tier.coverage = tier_stats[t];
        tier.change = change_over(tier_sessions[t]);
        report.overall.questions_total += tier.questions_total;
        report.overall.questions_practised += tier.questions_practised;
    }
    report.overall.id = "all";
    report.overall.name = "All";
    report.overall.change = change_over(all_sessions);

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

    for (const auto& [day, stats] : by_day) {
        if (stats.first.scored == 0) continue;
        DailyCoverage& out = report.daily.emplace_back();
        out.date = day;
        out.overall = stats.first.mean();
        for (const TierProgress& tier : report.tiers) {
            const std::uint32_t t = s.tier_index.at(tier.id);
            out.tiers.push_back(t < stats.second.size() ? stats.second[t].mean() : std::nullopt);
        }
    }

    std::sort(practice_days.begin(), practice_days.end());
    practice_days.erase(std::unique(practice_days.begin(), practice_days.end()), practice_days.end());
    std::size_t run = 0;
    for (std::size_t k = 0; k < practice_days.size(); ++k) {
        run = (k > 0 && practice_days[k] - practice_days[k - 1] == days{1}) ? run + 1 : 1;
        report.longest_streak_days = std::max(report.longest_streak_days, run);
    }
    if (!practice_days.empty()) {
        report.last_practised = practice_days.back();
        if (today - practice_days.back() <= days{1}) report.current_streak_days = run;
    }
    return report;
}

void attach_review_schedules(ProgressReport& report, const std::vector<QuestionSchedule>& schedules, Timestamp now) {
    report.reviews_due_now = 0;
    for (QuestionProgress& q : report.questions) {
        auto it = std::find_if(schedules.begin(), schedules.end(),
                               [&](const QuestionSchedule& s) { return s.question_id == q.id; });
        if (it == schedules.end() || it->is_new()) continue;
        q.review_due_at = it->card->due;
        q.retrievability = it->retrievability;
        q.last_review_at = it->card->last_review;
        if (it->due_by(now)) ++report.reviews_due_now;
    }
}

}  // namespace ehrprep
