#include "ehrprep/progress_commands.hpp"

#include <chrono>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/report_formats.hpp"
#include "ehrprep/review_commands.hpp"

namespace ehrprep {
namespace {

// Everything both commands need before reading the history; nullopt after printing why not.
struct Prepared {
    QuestionBank bank;
    ProgressFilter filter;
    std::string history_path;
    Date today;
    Timestamp now;
    ReviewSettings review;
};

std::optional<Prepared> prepare(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options,
                                int& status) {
    status = kExitBadInput;
    ProgressFilter filter;
    if (options.since) {
        auto since = parse_date(*options.since);
        if (!since) {
            print_error(ctx, fmt::format("--since: {}", since.error().message));
            return std::nullopt;
        }
        filter.since = *since;
    }
    if (options.last) {
        if (*options.last < 1) {
            print_error(ctx, fmt::format("--last must be a number of sessions, 1 or more, not {}", *options.last));
            return std::nullopt;
        }
        filter.last_sessions = static_cast<std::size_t>(*options.last);
    }
    auto review = review_settings(ctx, global);
    if (!review) return std::nullopt;
    auto bank = load_bank(ctx, global);
    if (!bank) return std::nullopt;
    auto tiers = resolve_tiers(ctx, *bank, options.tiers);
    if (!tiers) return std::nullopt;
    filter.tiers = *tiers;
    auto dir = data_directory(ctx, global);
    if (!dir) {
        print_error(ctx, dir.error().message);
        status = kExitFailure;
        return std::nullopt;
    }
    const auto reading = ctx.clock.now();
    filter.utc_offset = ctx.clock.utc_offset(reading);
    const Timestamp now = to_timestamp(reading);
    const Date today = local_date(now, filter.utc_offset);
    status = kExitOk;
    return Prepared{std::move(*bank), std::move(filter), *dir + "/" + std::string(kHistoryFileName), today, now,
                    *review};
}

struct Scanned {
    ProgressReport report;
    std::size_t attempts_in_history = 0;
};

std::optional<Scanned> build_report(AppContext& ctx, Prepared& prepared) {
    ProgressBuilder builder(prepared.bank, prepared.filter);
    // A question's schedule depends on all of its history, whatever the filters show.
    ReviewScheduleBuilder schedules(prepared.review);
    std::size_t total = 0;
    std::vector<HistoryWarning> warnings;
    HistoryStore store(ctx.files, prepared.history_path);
    auto scanned = store.scan_summaries(
        [&](const Attempt& attempt) {
            ++total;
            builder.add(attempt);
            schedules.add(attempt);
        },
        warnings);
    print_history_warnings(ctx, prepared.history_path, warnings);
    if (!scanned) {
        print_error(ctx, scanned.error().message);
        return std::nullopt;
    }
    Scanned result{std::move(builder).finish(prepared.today), total};
    attach_review_schedules(result.report, schedules.finish(prepared.bank, prepared.now), prepared.now);
    return result;
}

int write_output(AppContext& ctx, const ReportOptions& options, std::string_view content) {
    if (!options.output || *options.output == "-") {
        ctx.console.out << content;
        ctx.console.out.flush();
        return ctx.console.out ? kExitOk : kExitFailure;
    }
    if (auto written = ctx.files.write_file_atomic(*options.output, content, options.no_clobber); !written) {
        print_error(ctx, written.error().message);
        return kExitFailure;
    }
    ctx.console.err << fmt::format("Wrote {} ({} report, {} bytes)\n", *options.output, options.format, content.size());
    return kExitOk;
}

}  // namespace

int run_stats(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options) {
    int status = kExitOk;
    auto prepared = prepare(ctx, global, options, status);
    if (!prepared) return status;
    auto scanned = build_report(ctx, *prepared);
    if (!scanned) return kExitFailure;
    if (scanned->attempts_in_history == 0) {
        ctx.console.out << "No practice history yet. Start with 'ehrprep quiz' (or 'ehrprep quiz --tier beginner -n 3'),\n"
                           "then run 'ehrprep stats' to see where you stand.\n";
        return kExitOk;
    }
    if (scanned->report.empty()) {
        ctx.console.out << fmt::format("No attempts match these filters ({}); the history holds {} attempt{}.\n",
                                       describe_filter(prepared->filter), scanned->attempts_in_history,
                                       scanned->attempts_in_history == 1 ? "" : "s");
        return kExitOk;
    }
    const std::size_t width = std::min<std::size_t>(output_width(ctx, 80), 100);
    ctx.console.out << render_stats_text(scanned->report, make_style(ctx, global), width, locale_is_utf8(ctx.env));
    return kExitOk;
}

int run_report(AppContext& ctx, const GlobalOptions& global, const ReportOptions& options) {
    auto format = parse_report_format(options.format);
    if (!format) {
        print_error(ctx, format.error().message);
        return kExitBadInput;
    }
    int status = kExitOk;
    auto prepared = prepare(ctx, global, options.filter, status);
    if (!prepared) return status;

    if (*format == ReportFormat::Csv) {
        // To stdout rows stream as they are read; a file is written whole so it appears atomically.
        const bool to_stdout = !options.output || *options.output == "-";
        std::ostringstream buffer;
        std::ostream& sink = to_stdout ? ctx.console.out : buffer;
        CsvReportWriter writer(sink, prepared->filter.last_sessions);
        std::vector<HistoryWarning> warnings;
        HistoryStore store(ctx.files, prepared->history_path);
        auto scanned = store.scan(
            [&](const Attempt& attempt) {
                if (prepared->filter.admits(attempt)) writer.add(attempt);
            },
            warnings);
        print_history_warnings(ctx, prepared->history_path, warnings);
        if (!scanned) {
            print_error(ctx, scanned.error().message);
            return kExitFailure;
        }
        writer.finish();
        if (to_stdout) return ctx.console.out ? kExitOk : kExitFailure;
        return write_output(ctx, options, buffer.str());
    }

    auto scanned = build_report(ctx, *prepared);
    if (!scanned) return kExitFailure;
    switch (*format) {
        case ReportFormat::Markdown: return write_output(ctx, options, render_markdown(scanned->report));
        case ReportFormat::Json: return write_output(ctx, options, render_json(scanned->report));
        case ReportFormat::Html: return write_output(ctx, options, render_html(scanned->report));
        case ReportFormat::Csv: break;
    }
    return kExitFailure;
}

}  // namespace ehrprep
