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

std::string render_stats_text(const ProgressReport& r, const Style& style, std::size_t width, bool unicode) {
    width = std::max<std::size_t>(width, 20);
    const std::string_view dash = unicode ? "—" : "-";
    std::vector<std::string> lines;
    // Names, ids and labels come from the bank and the history: each is made terminal-safe.
    lines.push_back(style.bold(fmt::format("Progress {} {}", dash, terminal_safe(r.bank_title))));
    if (!r.filter.empty()) lines.push_back(style.dim("Filters: " + terminal_safe(describe_filter(r.filter))));
    lines.emplace_back();

    // Columns drop out, least useful first, until the table fits.
    struct Column {
        std::string header;
        std::size_t width;
        int drop_order;  // higher goes first; 0 never
        bool shown = true;
    };
    std::size_t name_width = 4;
    for (const TierProgress& t : r.tiers) name_width = std::max(name_width, display_width(terminal_safe(t.name)));
    name_width = std::min<std::size_t>(name_width, 22);
    std::vector<Column> columns = {{"TIER", name_width, 0},   {"PRACTISED", 9, 2}, {"ATTEMPTS", 8, 4},
                                   {"MEAN", 4, 0},             {"BEST", 4, 5},      {"CHANGE", 6, 3}};
    auto fixed_width = [&] {
        std::size_t total = 0;
        for (const Column& c : columns)
            if (c.shown) total += c.width + (total ? 2 : 0);
        return total;
    };
    for (;;) {
        if (fixed_width() <= width) break;
        auto next = std::max_element(columns.begin(), columns.end(), [](const Column& a, const Column& b) {
            return (a.shown ? a.drop_order : -1) < (b.shown ? b.drop_order : -1);
        });
        if (!next->shown || next->drop_order == 0) break;
        next->shown = false;
    }
    if (fixed_width() > width) columns[0].width = std::max<std::size_t>(4, columns[0].width - (fixed_width() - width));
    const std::size_t used = fixed_width();
    const std::size_t bar_width = used + 2 < width ? std::min<std::size_t>(width - used - 2, 30) : 0;
    const bool show_bar = bar_width >= 5;

    auto row = [&](const std::vector<std::string>& cells, const std::string& bar) {
        std::string line;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            if (!columns[k].shown) continue;
            if (!line.empty()) line += "  ";
            const std::string cell = truncate_to_width(cells[k], columns[k].width, !unicode);
            const std::string pad(columns[k].width - display_width(cell), ' ');
            line += k == 0 ? cell + pad : pad + cell;
        }
        if (show_bar) line += "  " + bar;
        return line;
    };
    std::vector<std::string> headers;
    for (const Column& c : columns) headers.push_back(c.header);
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
            const Date due = local_date(*q.review_due_at, r.filter.utc_offset);
            const std::string when = due <= r.today ? "due now" : format_date(due);
            std::string line = fmt::format("  {:>4}  {:<10}  {}", percent(q.retrievability),
                                           due <= r.today ? style.yellow(when) + std::string(10 - when.size(), ' ') : when,
                                           pad_to_width(terminal_safe(q.id), id_width));
            if (!q.text.empty()) line += "  " + style.dim(terminal_safe(q.text));
            lines.push_back(std::move(line));
        }
        if (r.reviews_due_now > 0)
            lines.push_back(fmt::format("  {} due now: ehrprep quiz --review", r.reviews_due_now));
    }
    lines.emplace_back();
    lines.push_back(fmt::format("Sessions {} · attempts {} ({})", r.sessions.size(), r.overall.coverage.attempts,
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
