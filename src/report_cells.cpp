#include "ehrprep/report_cells.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ehrprep/quiz_session.hpp"

namespace ehrprep {
namespace {

double rounded(double value) { return std::round(value * 10000.0) / 10000.0; }

OrderedJson utc_or_null(const std::optional<Timestamp>& time) {
    return time ? OrderedJson(format_utc(*time)) : OrderedJson();
}

}  // namespace

std::string points(std::optional<double> change) {
    if (!change) return "-";
    const long rounded_points = std::lround(*change * 100.0);
    return rounded_points == 0 ? "0" : fmt::format("{:+}", rounded_points);
}

OrderedJson json_fraction(std::optional<double> value) { return value ? OrderedJson(rounded(*value)) : OrderedJson(); }

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string outcome_summary(const OutcomeCounts& o) {
    std::vector<std::string> parts;
    if (o.answered) parts.push_back(fmt::format("{} answered", o.answered));
    if (o.timed_out) parts.push_back(fmt::format("{} timed out", o.timed_out));
    if (o.skipped) parts.push_back(fmt::format("{} skipped", o.skipped));
    if (o.quit) parts.push_back(fmt::format("{} quit", o.quit));
    return join(parts, ", ");
}

std::string streak_summary(const ProgressReport& r) {
    if (!r.last_practised) return "no practice yet";
    return fmt::format("{} day{} (longest {}) · last practised {} ({})", r.current_streak_days,
                       r.current_streak_days == 1 ? "" : "s", r.longest_streak_days, format_date(*r.last_practised),
                       relative_day(*r.last_practised, r.today));
}

std::string practised(const TierProgress& t) {
    return t.questions_total > 0 ? fmt::format("{}/{}", t.questions_practised, t.questions_total)
                                 : fmt::format("{}", t.questions_practised);
}

std::string describe_filter(const ProgressFilter& filter) {
    std::vector<std::string> parts;
    if (!filter.tiers.empty()) parts.push_back(fmt::format("tier {}", join(filter.tiers, ", ")));
    if (filter.since) parts.push_back(fmt::format("since {}", format_date(*filter.since)));
    if (filter.last_sessions)
        parts.push_back(fmt::format("last {} session{}", *filter.last_sessions, *filter.last_sessions == 1 ? "" : "s"));
    return parts.empty() ? "none" : join(parts, "; ");
}

std::string attempt_summary(const Attempt& attempt) {
    std::string out;
    switch (attempt.outcome) {
        case Outcome::Answered:
            out = fmt::format("{} · answered in {}", percent(attempt.coverage), format_clock(attempt.seconds));
            break;
        case Outcome::TimedOut:
            out = fmt::format("{} · time ran out at {}", percent(attempt.coverage), format_clock(attempt.seconds));
            break;
        case Outcome::Skipped: out = "skipped"; break;
        case Outcome::Quit: out = "not answered: the session ended"; break;
    }
    if (attempt.retry) out += " · retry";
    return out;
}

const QuestionProgress* find_question(const ProgressReport& r, std::string_view id) {
    for (const QuestionProgress& q : r.questions)
        if (q.id == id) return &q;
    return nullptr;
}

const QuestionProgress& weakest_at(const ProgressReport& r, std::size_t k) { return r.questions[r.weakest[k]]; }

std::string tier_name(const ProgressReport& r, std::string_view tier_id) {
    for (const TierProgress& t : r.tiers)
        if (t.id == tier_id) return t.name;
    return std::string(tier_id);
}

std::string recall_text(const QuestionProgress& q, const LocalTime& local) {
    if (!q.retrievability || !q.last_review_at) return "-";
    if (!recall_worth_showing(local.date_of(*q.last_review_at), local.today())) return "-";
    return percent(q.retrievability);
}

std::string review_due_text(const QuestionProgress& q, const LocalTime& local) {
    if (!q.review_due_at) return "-";
    const Date due = local.date_of(*q.review_due_at);
    return fmt::format("{} ({})", format_day(due, local.today()), relative_day(due, local.today()));
}

const std::vector<QuestionField>& question_fields() {
    using Local = const LocalTime&;
    static const std::vector<QuestionField> fields = {
        {"latest_coverage", "Latest", true, [](const QuestionProgress& q, Local) { return percent(q.latest_coverage); },
         [](const QuestionProgress& q) { return json_fraction(q.latest_coverage); }},
        {"mean_coverage", "Mean", true, [](const QuestionProgress& q, Local) { return percent(q.coverage.mean()); },
         [](const QuestionProgress& q) { return json_fraction(q.coverage.mean()); }},
        {"best_coverage", "Best", true, [](const QuestionProgress& q, Local) { return percent(q.coverage.best()); },
         [](const QuestionProgress& q) { return json_fraction(q.coverage.best()); }},
        {"attempts", "Attempts", true,
         [](const QuestionProgress& q, Local) { return fmt::format("{}", q.coverage.attempts); },
         [](const QuestionProgress& q) { return OrderedJson(q.coverage.attempts); }},
        {"review_due", "Review due", false, review_due_text,
         [](const QuestionProgress& q) { return utc_or_null(q.review_due_at); }},
        {"retrievability", "Recall now", true, recall_text,
         [](const QuestionProgress& q) { return json_fraction(q.retrievability); }},
        {"last_attempt_at", "Last attempt", false,
         [](const QuestionProgress& q, Local local) {
             return q.last_attempt_at ? local.day_and_time(*q.last_attempt_at) : std::string("-");
         },
         [](const QuestionProgress& q) { return utc_or_null(q.last_attempt_at); }},
    };
    return fields;
}

}  // namespace ehrprep
