#include "ehrprep/progress_commands.hpp"

#include <chrono>
#include <ostream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "ehrprep/answer_log.hpp"
#include "ehrprep/command_support.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/report_cells.hpp"
#include "ehrprep/report_csv.hpp"
#include "ehrprep/report_formats.hpp"
#include "ehrprep/report_html.hpp"
#include "ehrprep/report_json.hpp"
#include "ehrprep/report_markdown.hpp"
#include "ehrprep/stats_text.hpp"

namespace ehrprep {
namespace {

// Everything both commands need before reading the history.
struct Prepared {
    QuestionBank bank;
    ProgressFilter filter;
    std::string history_path;
    Date today;
    Timestamp now;
    ReviewSettings review;
};

Result<Prepared> prepare(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options) {
    ProgressFilter filter;
    if (options.since) {
        auto since = parse_date(*options.since);
        if (!since) return Error{fmt::format("--since: {}", since.error().message)};
        filter.since = *since;
    }
    if (options.last) {
        if (*options.last < 1)
            return Error{fmt::format("--last must be a number of sessions, 1 or more, not {}", *options.last)};
        filter.last_sessions = static_cast<std::size_t>(*options.last);
    }
    auto review = review_settings(global);
    if (!review) return std::move(review).error();
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    auto tiers = resolve_tiers(*bank, options.tiers);
    if (!tiers) return std::move(tiers).error();
    filter.tiers = *tiers;
    auto path = history_path(ctx, global);
    if (!path) return std::move(path).error();
    const auto reading = ctx.clock.now();
    filter.utc_offset = utc_offset(ctx);
    const Timestamp now = to_timestamp(reading);
    const Date today = filter.utc_offset.date_of(now);
    return Prepared{std::move(*bank), std::move(filter), *path, today, now, *review};
}

struct Scanned {
    ProgressReport report;
    std::size_t attempts_in_history = 0;
};

struct HistoryReading {
    ProgressBuilder builder;
    std::size_t attempts = 0;
    bool choice_defeated = false;  // --last's choice of sessions needs a reading with no window

    [[nodiscard]] bool needs_second_reading() const { return choice_defeated || builder.needs_second_reading(); }
};

// Reads the history into a builder of `detail`, on both cores, warning about unreadable lines
// unless `warned` already: a second reading of the same lines says nothing new.
Result<HistoryReading> read_history(AppContext& ctx, const Prepared& prepared, ProgressDetail detail,
                                    std::optional<std::size_t> session_window, bool& warned) {
    const std::size_t parts = history_reading_parts();
    HistoryStore store(ctx.files, prepared.history_path);
    std::vector<HistoryWarning> unsaid;  // warned about by the reading that does
    ProgressBuilder builder(prepared.bank, prepared.filter, prepared.review, detail, session_window);
    if (prepared.filter.last_sessions) {
        // A first reading chooses the sessions --last keeps; the next one warns about its lines.
        std::vector<SessionSelection> selections(1, SessionSelection(prepared.filter.last_sessions, session_window));
        for (std::size_t k = 1; k < parts; ++k) selections.push_back(selections.front().part());
        auto chosen = store.scan_parts(HistorySplit{parts}, HistoryFields{false, false, false},
                                       [&](std::size_t part, const AttemptView& attempt) {
                                           if (prepared.filter.admits(attempt)) selections[part].add(attempt);
                                       },
                                       unsaid);
        if (!chosen) return std::move(chosen).error();
        for (std::size_t k = 1; k < parts; ++k) selections.front().merge(std::move(selections[k]));
        if (selections.front().needs_second_reading()) return HistoryReading{std::move(builder), 0, true};
        builder.keep_sessions(selections.front());
    }
    std::vector<ProgressBuilder> builders;
    builders.reserve(parts);
    builders.push_back(std::move(builder));
    for (std::size_t k = 1; k < parts; ++k) builders.push_back(builders.front().part());
    std::vector<std::size_t> totals(parts, 0);
    auto visit = [&](std::size_t part, const AttemptView& attempt) {
        ++totals[part];
        builders[part].add(attempt);
    };
    const HistoryFields fields{false, true, false};
    auto scanned = warned ? store.scan_parts(HistorySplit{parts}, fields, visit, unsaid)
                          : scan_history_parts(ctx, prepared.history_path, parts, fields, visit);
    warned = true;
    if (!scanned) return std::move(scanned).error();
    for (std::size_t k = 1; k < parts; ++k) builders.front().merge(std::move(builders[k]));
    std::size_t total = 0;
    for (std::size_t part_total : totals) total += part_total;
    return HistoryReading{std::move(builders.front()), total};
}

Result<Scanned> build_report(AppContext& ctx, const Prepared& prepared, ProgressDetail detail) {
    bool warned = false;
    auto read = read_through_window([&](std::optional<std::size_t> window) {
        return read_history(ctx, prepared, detail, window, warned);
    });
    if (!read) return std::move(read).error();
    return Scanned{std::move(read->builder).finish(prepared.today, prepared.now), read->attempts};
}

Result<void> write_output(AppContext& ctx, const ReportOptions& options, std::string_view content) {
    if (!options.output || *options.output == "-") {
        ctx.console.out << content;  // end_command reports output that could not be written
        return {};
    }
    if (auto written = ctx.files.write_file_atomic(*options.output, content, options.no_clobber); !written)
        return std::move(written).error();
    ctx.console.err << fmt::format("Wrote {} ({} report, {} bytes)\n", *options.output, options.format, content.size());
    return {};
}

Result<void> stats(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options) {
    auto prepared = prepare(ctx, global, options);
    if (!prepared) return std::move(prepared).error();
    auto scanned = build_report(ctx, *prepared, ProgressDetail::Summary);
    if (!scanned) return std::move(scanned).error();
    if (scanned->attempts_in_history == 0) {
        ctx.console.out << "No practice history yet. Start with 'ehrprep quiz' (or 'ehrprep quiz --tier beginner -n 3'),\n"
                           "then run 'ehrprep stats' to see where you stand.\n";
        return {};
    }
    if (scanned->report.empty()) {
        ctx.console.out << fmt::format("No attempts match these filters ({}); the history holds {} attempt{}.\n",
                                       describe_filter(prepared->filter), scanned->attempts_in_history,
                                       scanned->attempts_in_history == 1 ? "" : "s");
        return {};
    }
    const std::size_t width = text_width(ctx);
    ctx.console.out << render_stats_text(scanned->report, local_time(ctx, prepared->now), make_style(ctx, global),
                                         width, locale_is_utf8(ctx.env));
    return {};
}

Result<void> report(AppContext& ctx, const GlobalOptions& global, const ReportOptions& options) {
    auto format = parse_report_format(options.format);
    if (!format) return std::move(format).error();
    if (options.with_answers && *format != ReportFormat::Markdown && *format != ReportFormat::Html)
        return Error{fmt::format("--with-answers is for md and html reports; a {} report {}", options.format,
                                 *format == ReportFormat::Csv ? "always has the answers" : "never has them"),
                     kExitBadInput};
    auto prepared = prepare(ctx, global, options.filter);
    if (!prepared) return std::move(prepared).error();
    // A report is written whole over its file; over the history it would replace every attempt.
    if (options.output && *options.output != "-" && ctx.files.same_file(*options.output, prepared->history_path))
        return Error{fmt::format("-o {}: that is the practice history, which a report would replace; "
                                 "write the report to another file",
                                 *options.output)};

    if (*format == ReportFormat::Csv) {
        const ProgressFilter& filter = prepared->filter;
        // With --last the sessions are chosen first, as for every other format, so that rows
        // can then stream in history order.
        std::optional<std::unordered_set<std::string>> sessions;
        if (filter.last_sessions) {
            auto selection = read_through_window([&](std::optional<std::size_t> window) -> Result<SessionSelection> {
                SessionSelection selection(filter.last_sessions, window);
                auto admit = [&](const Attempt& attempt) {
                    if (filter.admits(attempt)) selection.add(attempt);
                };
                std::vector<HistoryWarning> warned_when_writing;  // the same lines, warned about once
                HistoryStore store(ctx.files, prepared->history_path);
                if (auto read = store.scan(admit, warned_when_writing, AnswerText::Skip); !read)
                    return std::move(read).error();
                return selection;
            });
            if (!selection) return std::move(selection).error();
            sessions.emplace();
            for (const SessionSelection::Chosen& session : selection->chosen()) sessions->emplace(session.id);
        }
        // To stdout rows stream as they are read; a file is written whole so it appears atomically.
        const bool to_stdout = !options.output || *options.output == "-";
        std::ostringstream buffer;
        std::ostream& sink = to_stdout ? ctx.console.out : buffer;
        CsvReportWriter writer(sink);
        auto scanned = scan_history(
            ctx, prepared->history_path,
            [&](const Attempt& attempt) {
                if (filter.admits(attempt) && (!sessions || sessions->contains(attempt.session_id))) writer.add(attempt);
            },
            AnswerText::Read);
        if (!scanned) return std::move(scanned).error();
        writer.finish();
        if (!to_stdout) return write_output(ctx, options, buffer.str());
        return {};
    }

    auto scanned = build_report(ctx, *prepared, ProgressDetail::Full);
    if (!scanned) return std::move(scanned).error();
    const LocalTime local = local_time(ctx, prepared->now);
    std::vector<SessionAnswers> answers;
    if (options.with_answers) {
        // Answers are most of a history's bytes, so they are read in a pass of their own, only
        // when asked for; lines that cannot be read were warned about by the first pass.
        AnswerLogBuilder log(prepared->filter);
        std::vector<HistoryWarning> warned_already;
        HistoryStore store(ctx.files, prepared->history_path);
        auto read = store.scan([&](const Attempt& attempt) { log.add(attempt); }, warned_already, AnswerText::Read);
        if (!read) return std::move(read).error();
        answers = std::move(log).finish();
    }
    switch (*format) {
        case ReportFormat::Markdown:
            return write_output(ctx, options, render_markdown(scanned->report, local, answers));
        case ReportFormat::Json:
            if (!options.output || *options.output == "-") {
                // Streamed: the sessions of a long history need not all be written out first.
                write_json(scanned->report, ctx.console.out);  // end_command reports output that could not be written
                return {};
            }
            return write_output(ctx, options, render_json(scanned->report));
        case ReportFormat::Html: return write_output(ctx, options, render_html(scanned->report, local, answers));
        case ReportFormat::Csv: break;
    }
    return {};
}

}  // namespace

int run_stats(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options) {
    return end_command(ctx, stats(ctx, global, options));
}

int run_report(AppContext& ctx, const GlobalOptions& global, const ReportOptions& options) {
    return end_command(ctx, report(ctx, global, options));
}

}  // namespace ehrprep
