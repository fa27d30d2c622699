#include "ehrprep/stats_text.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ehrprep/coverage_view.hpp"
#include "ehrprep/report_cells.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/text_layout.hpp"

namespace ehrprep {
namespace {

// The terminal has less room than a report.
constexpr std::size_t kWeakestInStats = 5;
constexpr std::size_t kMissedInStats = 5;

}  // namespace

std::string render_stats_text(const ProgressReport& r, const LocalTime& local, const Style& style, std::size_t width,
                              bool unicode) {
    width = std::max<std::size_t>(width, 20);
    const std::string_view dash = unicode ? "—" : "-";
    std::vector<std::string> lines;
    // Names, ids and labels come from the bank and the history: each is made terminal-safe.
    lines.push_back(style.bold(fmt::format("Progress {} {}", dash, terminal_safe(r.bank_title))));
    if (!r.filter.empty()) lines.push_back(style.dim("Filters: " + terminal_safe(describe_filter(r.filter))));
    lines.emplace_back();

    // Columns drop out, least useful first, until the table fits.
    std::size_t name_width = 4;
    for (const TierProgress& t : r.tiers) name_width = std::max(name_width, display_width(terminal_safe(t.name)));
    name_width = std::min<std::size_t>(name_width, 22);
    std::vector<TableColumn> columns = {{"TIER", name_width, 0},        {"PRACTISED", 9, 2, true},
                                        {"ATTEMPTS", 8, 4, true},       {"MEAN", 4, 0, true},
                                        {"BEST", 4, 5, true},           {"CHANGE", 6, 3, true}};
    if (const std::size_t fitted = fit_columns(columns, width); fitted > width)
        columns[0].width = std::max<std::size_t>(4, columns[0].width - (fitted - width));
    const std::size_t used = columns_width(columns);
    const std::size_t bar_width = used + 2 < width ? std::min<std::size_t>(width - used - 2, 30) : 0;
    const bool show_bar = bar_width >= 5;

    auto row = [&](const std::vector<std::string>& cells, const std::string& bar) {
        std::string line = table_row(columns, cells, !unicode);
        if (show_bar) line += "  " + bar;
        return line;
    };
    std::vector<std::string> headers;
    for (const TableColumn& c : columns) headers.push_back(c.header);
    std::string header_line = row(headers, "COVERAGE");
    while (!header_line.empty() && header_line.back() == ' ') header_line.pop_back();
    lines.push_back(style.bold(header_line));
    auto tier_row = [&](const TierProgress& t) {
        const auto mean = t.coverage.mean();
        std::string bar = show_bar && mean ? coverage_bar(*mean, bar_width, unicode) : "";
        std::string line = row({terminal_safe(t.name), practised(t), fmt::format("{}", t.coverage.attempts), percent(mean),
                                percent(t.coverage.best()), points(t.change)},
                               bar);
        if (!mean) return line;
        switch (band_for(*mean)) {
            case Band::Strong: return style.green(line);
            case Band::Partial: return style.yellow(line);
            case Band::NeedsWork: return style.red(line);
        }
        return line;
    };
    for (const TierProgress& t : r.tiers) lines.push_back(tier_row(t));
    if (r.tiers.size() != 1) lines.push_back(style.bold(tier_row(r.overall)));

    if (!r.weakest.empty()) {
        lines.emplace_back();
        lines.push_back(style.bold("Weakest questions (latest coverage)"));
        const std::size_t shown = std::min(kWeakestInStats, r.weakest.size());
        std::size_t id_width = 0;
        for (std::size_t k = 0; k < shown; ++k)
            id_width = std::max(id_width, display_width(terminal_safe(weakest_at(r, k).id)));
        for (std::size_t k = 0; k < shown; ++k) {
            const QuestionProgress& q = weakest_at(r, k);
            std::string line =
                fmt::format("  {:>4}  {}", percent(q.latest_coverage), pad_to_width(terminal_safe(q.id), id_width));
            if (!q.text.empty()) line += "  " + style.dim(terminal_safe(q.text));
            lines.push_back(std::move(line));
        }
    }
    if (!r.most_missed.empty()) {
        lines.emplace_back();
        lines.push_back(style.bold("Concepts missed most often"));
        for (std::size_t k = 0; k < std::min(kMissedInStats, r.most_missed.size()); ++k) {
            const ConceptMisses& c = r.most_missed[k];
            lines.push_back(fmt::format("  {:>3} of {:<3} {}  {}", c.missed, c.scored_attempts, terminal_safe(c.label),
                                        style.dim("(" + terminal_safe(c.question_id) + ")")));
        }
    }
    std::vector<const QuestionProgress*> scheduled;
    for (const QuestionProgress& q : r.questions)
        if (q.review_due_at) scheduled.push_back(&q);
    if (!scheduled.empty()) {
        std::stable_sort(scheduled.begin(), scheduled.end(),
                         [](const auto* a, const auto* b) { return *a->review_due_at < *b->review_due_at; });
        lines.emplace_back();
        lines.push_back(style.bold("Spaced review (recall now · due)"));
        const std::size_t shown = std::min(kWeakestInStats, scheduled.size());
        std::size_t id_width = 0;
        for (std::size_t k = 0; k < shown; ++k)
            id_width = std::max(id_width, display_width(terminal_safe(scheduled[k]->id)));
        for (std::size_t k = 0; k < shown; ++k) {
            const QuestionProgress& q = *scheduled[k];
            const bool due = *q.review_due_at <= local.now();
            // "tomorrow" reads more easily than a date so near.
            const Date day = local.date_of(*q.review_due_at);
            std::string when = due                                            ? std::string("due now")
                               : day - local.today() <= std::chrono::days{1} ? relative_day(day, local.today())
                                                                             : format_day(day, local.today());
            when = pad_to_width(when, 10);
            std::string line = fmt::format("  {:>4}  {}  {}", recall_text(q, local), due ? style.yellow(when) : when,
                                           pad_to_width(terminal_safe(q.id), id_width));
            if (!q.text.empty()) line += "  " + style.dim(terminal_safe(q.text));
            lines.push_back(std::move(line));
        }
        if (r.reviews_due_now > 0)
            lines.push_back(fmt::format("  {} due now: ehrprep quiz --review", r.reviews_due_now));
    }
    lines.emplace_back();
    lines.push_back(fmt::format("Sessions {} · attempts {} ({})", r.session_count, r.overall.coverage.attempts,
                                outcome_summary(r.outcomes)));
    lines.push_back("Streak " + streak_summary(r));

    std::string out;
    for (std::string& line : lines) {
        if (!unicode) {
            for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"·", "|"}, {"—", "-"}}) {
                for (auto at = line.find(from); at != std::string::npos; at = line.find(from))
                    line.replace(at, from.size(), to);
            }
        }
        if (display_width(line) > width) line = truncate_to_width(line, width, !unicode) + (style.enabled() ? "\x1b[0m" : "");
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace ehrprep
