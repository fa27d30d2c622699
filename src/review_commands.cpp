#include "ehrprep/review_commands.hpp"

#include <chrono>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/command_support.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {
namespace {

// "now", "in 3 days", "2 days ago" relative to `now`, by whole days.
std::string relative_days(Timestamp due, Timestamp now) {
    const double days = days_between(now, due);
    if (days <= 0.0 && days > -1.0) return "now";
    const long whole = std::lround(std::fabs(days) < 1.0 ? 1.0 : std::floor(std::fabs(days)));
    if (days < 0) return fmt::format("{} day{} overdue", whole, whole == 1 ? "" : "s");
    const long ahead = std::lround(std::ceil(days));
    return fmt::format("in {} day{}", ahead, ahead == 1 ? "" : "s");
}

Result<void> due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options) {
    auto settings = review_settings(global);
    if (!settings) return std::move(settings).error();
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    auto tiers = resolve_tiers(*bank, options.tiers);
    if (!tiers) return std::move(tiers).error();
    const Timestamp now = to_timestamp(ctx.clock.now());
    auto schedules = load_schedules(ctx, global, *bank, *settings, now);
    if (!schedules) return std::move(schedules).error();

    std::size_t new_count = 0;
    std::vector<QuestionSchedule> in_tiers;
    for (QuestionSchedule& s : *schedules) {
        if (!tier_selected(*tiers, s.tier_id)) continue;
        if (s.is_new()) ++new_count;
        in_tiers.push_back(std::move(s));
    }
    const Timestamp horizon = add_days(now, options.within_days);
    std::vector<QuestionSchedule> queue = review_queue(in_tiers, now);
    const auto later = std::find_if(queue.begin(), queue.end(), [&](const auto& s) { return s.card->due > horizon; });
    const std::optional<QuestionSchedule> next_later = later == queue.end() ? std::nullopt : std::optional(*later);
    queue.erase(later, queue.end());
    const auto due_now = static_cast<std::size_t>(
        std::count_if(queue.begin(), queue.end(), [&](const auto& s) { return s.due_by(now); }));
    const UtcOffset offset = utc_offset(ctx);
    const Date today = offset.date_of(now);
    auto due_date = [&](const QuestionSchedule& s) { return format_day(offset.date_of(s.card->due), today); };

    if (options.format == "json") {
        nlohmann::ordered_json out{{"now", format_utc(now)},
                                   {"retention", settings->fsrs.desired_retention},
                                   {"due_now", due_now},
                                   {"new", new_count},
                                   {"questions", nlohmann::ordered_json::array()}};
        for (const QuestionSchedule& s : queue) {
            out["questions"].push_back({{"id", s.question_id},
                                        {"tier", s.tier_id},
                                        {"due", format_utc(s.card->due)},
                                        {"due_now", s.due_by(now)},
                                        {"retrievability", std::round(s.retrievability * 10000.0) / 10000.0},
                                        {"stability_days", std::round(s.card->state.stability * 100.0) / 100.0},
                                        {"difficulty", std::round(s.card->state.difficulty * 100.0) / 100.0},
                                        {"reviews", s.card->reviews},
                                        {"lapses", s.card->lapses}});
        }
        ctx.console.out << out.dump(2) << '\n';
        return {};
    }

    Style style = make_style(ctx, global);
    std::ostream& out = ctx.console.out;
    if (queue.empty()) {
        out << "Nothing is due in the next " << fmt::format("{:g}", options.within_days) << " days.";
        if (next_later)
            out << fmt::format(" Next: {} on {} ({}).", next_later->question_id, due_date(*next_later),
                               relative_days(next_later->card->due, now));
        out << '\n';
        if (new_count > 0)
            out << fmt::format("{} question{} never practised: ehrprep quiz --review takes some.\n", new_count,
                               new_count == 1 ? "" : "s");
        return {};
    }
    // Columns drop out on a narrow terminal, the most technical first; the question takes the
    // room that is left, and none at all when too little is.
    const bool ascii = !locale_is_utf8(ctx.env);
    struct Row {
        std::vector<std::string> cells;
        bool due;
    };
    std::vector<Row> rows;
    std::vector<TableColumn> columns = {{"ID", 2, 0},          {"DUE", 3, 0},       {"DATE", 4, 3},
                                        {"RECALL", 6, 2, true}, {"STABILITY", 9, 4, true}};
    for (const QuestionSchedule& s : queue) {
        const std::string recall = recall_worth_showing(offset.date_of(s.card->last_review), today)
                                       ? fmt::format("{:.0f}%", s.retrievability * 100.0)
                                       : "-";
        Row row{{s.question_id, relative_days(s.card->due, now), due_date(s), recall,
                 fmt::format("{:.1f} d", s.card->state.stability)},
                s.due_by(now)};
        for (std::size_t k = 0; k < columns.size(); ++k)
            columns[k].width = std::max(columns[k].width, display_width(row.cells[k]));
        rows.push_back(std::move(row));
    }
    // Off a terminal nothing is cut unless $COLUMNS asks for it, so scripts see whole questions.
    // On one, the question keeps some room, which columns give up before it goes.
    const std::size_t width = output_width(ctx, 0);
    constexpr std::size_t kQuestionRoom = 16;
    std::size_t used = columns_width(columns);
    bool show_question = true;
    if (width > 0) {
        used = fit_columns(columns, width > kQuestionRoom + 2 ? width - kQuestionRoom - 2 : 0);
        show_question = used + 2 + kQuestionRoom <= width;
        if (!show_question) {
            for (TableColumn& column : columns) column.shown = true;
            used = fit_columns(columns, width);
        }
    }
    auto question_text = [&](const std::string& id) {
        const Question* q = bank->find_question(id);
        const std::string text = q ? terminal_safe(q->text) : "";
        return width > 0 ? truncate_to_width(text, width - used - 2, ascii) : text;
    };
    std::vector<std::string> headers;
    for (const TableColumn& c : columns) headers.push_back(c.header);
    out << style.bold(table_row(columns, headers, ascii) + (show_question ? "  QUESTION" : "")) << '\n';
    for (std::size_t k = 0; k < rows.size(); ++k) {
        Row& row = rows[k];
        row.cells[0] = style.cyan(pad_to_width(row.cells[0], columns[0].width));
        if (row.due) row.cells[1] = style.yellow(pad_to_width(row.cells[1], columns[1].width));
        std::string line = table_row(columns, row.cells, ascii);
        if (show_question) line += "  " + question_text(queue[k].question_id);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
    std::string footer = fmt::format("{} due now, {} more within {:g} days, {} never practised.", due_now,
                                     queue.size() - due_now, options.within_days, new_count);
    if (due_now > 0) footer += " Review them with: ehrprep quiz --review";
    out << '\n';
    for (const std::string& line : width > 0 ? wrap_text(footer, width) : std::vector<std::string>{footer})
        out << line << '\n';
    return {};
}

}  // namespace

int run_due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options) {
    return end_command(ctx, due(ctx, global, options));
}

}  // namespace ehrprep
