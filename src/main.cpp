// Wires the command line to the library: every command's work lives in ehrprep_app.
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/posix_platform.hpp"
#include "ehrprep/progress_commands.hpp"
#include "ehrprep/quiz_command.hpp"
#include "ehrprep/review_commands.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/signal_watch.hpp"
#include "ehrprep/stream_answer_source.hpp"
#include "ehrprep/terminal_answer_source.hpp"

extern char** environ;

namespace {

// Bounds of the numeric options: far past any real use, and small enough that no arithmetic
// on them can overflow.
constexpr unsigned long long kMaxCount = 1'000'000;
constexpr unsigned long long kMaxTimeLimitSeconds = 86'400;  // a day
constexpr double kMaxSessionMinutes = 1'440;                  // a day
constexpr double kMaxWithinDays = 36'500;                     // a hundred years

void add_version(CLI::App& command) { command.set_version_flag("--version", "ehrprep " EHRPREP_VERSION); }

std::string quoted_argument(const std::string& text);

// The one check of a numeric option's range. CLI11's own range checks let "nan" through and
// print a double's whole range when they fail; this one refuses anything that is not a finite
// number and says what the option wants. `range` is how --help shows it.
CLI::Validator number(std::function<bool(double)> fits, const std::string& wanted, const std::string& range) {
    return CLI::Validator(
        [fits = std::move(fits), wanted](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || !fits(value))
                return "must be " + wanted + ", not '" + quoted_argument(text) + "'";
            return {};
        },
        range);
}

// A count: digits only, from `min` to `max`, so that "2.5", "1e300" and "-1" get one clear
// message rather than a failed conversion.
CLI::Validator whole_number(unsigned long long min, unsigned long long max, const std::string& wanted) {
    const std::string range = fmt::format("{} to {}", min, max);
    return CLI::Validator(
        [min, max, wanted, range](std::string& text) -> std::string {
            unsigned long long value = 0;
            const char* first = text.data();
            const char* last = text.data() + text.size();
            auto [end, ec] = std::from_chars(first, last, value);
            if (text.empty() || ec != std::errc{} || end != last || value < min || value > max)
                return fmt::format("must be {} from {}, not '{}'", wanted, range, quoted_argument(text));
            return {};
        },
        range);
}

// An argument quoted back in a message: cut short, and safe for the terminal.
std::string quoted_argument(const std::string& text) {
    return ehrprep::terminal_safe(text.size() > 40 ? text.substr(0, 40) + "..." : text);
}

// Help and --version go to stdout too: a failure to write them is a failure like any other.
int finish_output(int status) {
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "ehrprep: cannot write to standard output\n";
        return ehrprep::kExitFailure;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ehrprep;
    // Past a file-size limit, a write fails with EFBIG, which is reported and recovered from,
    // rather than killing the process mid-line.
    std::signal(SIGXFSZ, SIG_IGN);
    PosixFileSystem files;
    SystemClock clock;
    AppContext ctx{Console{std::cout, std::cerr, std::cin, is_terminal(STDOUT_FILENO), is_terminal(STDIN_FILENO),
                           terminal_columns(STDOUT_FILENO)},
                   files, clock, capture_environment(environ), std::random_device{}()};

    CLI::App app{"Practise interview questions for AI Electronic Health Record Specialist roles.\n"
                 "With no command on a terminal, starts a practice quiz.",
                 "ehrprep"};
    app.footer("Exit status: 0 success, 1 I/O failure, 2 bad arguments or input, 130 interrupted.\n"
               "Run 'ehrprep COMMAND --help' for a command's options.");
    add_version(app);
    GlobalOptions global;
    std::string color = "auto";
    app.add_option("--bank", global.bank_path, "Question bank to use instead of the built-in one")
        ->envname("EHRPREP_BANK")
        ->type_name("FILE");
    app.add_option("--color", color, "Colour output: auto, always or never (NO_COLOR is honoured)")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--data-dir", global.data_dir, "Where history is kept (default $XDG_DATA_HOME/ehrprep)")
        ->envname("EHRPREP_HOME")
        ->type_name("DIR");
    app.add_option("--retention", global.retention, "Spaced review: recall probability to schedule for (default 0.9)")
        ->check(number([](double r) { return r >= 0.5 && r <= 0.99; }, "a number from 0.5 to 0.99", "0.5 to 0.99"))
        ->type_name("R");
    app.add_option("--rating-thresholds", global.rating_thresholds,
                   "Spaced review: coverage at which an answer rates Hard, Good, Easy (default 0.4,0.6,0.85)")
        ->type_name("H,G,E");
    app.add_option("--max-reviews", global.max_reviews,
                   "Spaced review: at most N due questions in a review session (default 20)")
        ->check(number([](double n) { return n >= 1 && n == std::floor(n); }, "a whole number, 1 or more", "1 or more"))
        ->type_name("N");
    app.require_subcommand(0, 1);

    QuizOptions quiz;
    CLI::App* quiz_cmd = app.add_subcommand("quiz", "Run a timed practice session (the default on a terminal)");
    quiz_cmd->add_option("--tier", quiz.tiers, "Only this tier (repeatable)");
    quiz_cmd->add_option("-n,--count", quiz.count, "How many questions (default 5, or all of --ids)")
        ->check(whole_number(1, kMaxCount, "a whole number"));
    quiz_cmd->add_option("--ids", quiz.ids, "Ask exactly these questions")->delimiter(',')->type_name("ID,...");
    quiz_cmd->add_option("--order", quiz.order, "random (mixing tiers) or bank")
        ->check(CLI::IsMember({"random", "bank"}))
        ->capture_default_str();
    quiz_cmd->add_option("--seed", quiz.seed, "Seed for a reproducible random order");
    quiz_cmd->add_option("--time-limit", quiz.time_limit_seconds, "Seconds per question (default: the tier's)")
        ->check(whole_number(1, kMaxTimeLimitSeconds, "a whole number of seconds"))
        ->type_name("SECONDS");
    quiz_cmd->add_flag("--no-timer", quiz.no_timer, "No time limit per question");
    quiz_cmd->add_option("--session-time", quiz.session_minutes, "Cap the whole session")
        ->check(number([](double m) { return m > 0 && m <= kMaxSessionMinutes; },
                       fmt::format("a number of minutes above 0, up to {}", kMaxSessionMinutes),
                       fmt::format("above 0, up to {}", kMaxSessionMinutes)))
        ->type_name("MINUTES");
    quiz_cmd->add_flag("--review", quiz.review, "Questions due for spaced review first, then new ones");
    quiz_cmd->add_option("--new", quiz.new_questions, "With --review: how many never-practised questions to add")
        ->check(whole_number(0, kMaxCount, "a whole number"))
        ->capture_default_str()
        ->type_name("N");

    DueOptions due;
    CLI::App* due_cmd = app.add_subcommand("due", "Show the questions due for spaced review, most urgent first");
    due_cmd->add_option("--tier", due.tiers, "Only this tier (repeatable)");
    due_cmd->add_option("--within", due.within_days, "Also list what falls due within this many days")
        ->check(number([](double days) { return days >= 0 && days <= kMaxWithinDays; },
                       fmt::format("a number of days from 0 to {}", kMaxWithinDays),
                       fmt::format("0 to {}", kMaxWithinDays)))
        ->capture_default_str()
        ->type_name("DAYS");
    due_cmd->add_option("--format", due.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    ListOptions list;
    CLI::App* list_cmd = app.add_subcommand("list", "List the questions of the bank");
    list_cmd->add_option("--tier", list.tiers, "Only this tier (repeatable): beginner, intermediate, advanced, "
                                               "scenario, ai-workflow (or workflow), behavioral");
    list_cmd->add_option("--format", list.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    ShowOptions show;
    CLI::App* show_cmd = app.add_subcommand("show", "Show one question");
    show_cmd->add_option("id", show.id, "Question id, as 'ehrprep list' shows it")->required();
    show_cmd->add_flag("--hint", show.hint, "Also show what a great answer covers, and a tip for each point");
    show_cmd->add_flag("--example", show.example, "Also show an example of a strong answer");
    show_cmd->add_option("--format", show.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    CLI::App* bank_cmd = app.add_subcommand("bank", "Work with question bank files");
    bank_cmd->require_subcommand(1);
    std::string validate_path;
    CLI::App* validate_cmd = bank_cmd->add_subcommand("validate", "Check a bank file and report every problem");
    validate_cmd->add_option("file", validate_path, "The bank to check")->required();

    ScoreOptions score;
    CLI::App* score_cmd = app.add_subcommand("score", "Score an answer against a question's key points");
    score_cmd->add_option("-q,--question", score.question_id, "Question id")->required();
    score_cmd->add_option("--answer-file", score.answer_file, "Read the answer from FILE (default: stdin)")
        ->type_name("FILE");
    score_cmd->add_option("--format", score.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    auto add_progress_filters = [](CLI::App* command, StatsOptions& filter) {
        command->add_option("--tier", filter.tiers, "Only this tier (repeatable)");
        command->add_option("--since", filter.since, "Only attempts on or after this local date")->type_name("YYYY-MM-DD");
        command->add_option("--last", filter.last, "Only the last N sessions")
            ->check(whole_number(1, kMaxCount, "a whole number of sessions"))
            ->type_name("N");
    };
    StatsOptions stats;
    CLI::App* stats_cmd = app.add_subcommand("stats", "Show progress per tier, weakest questions and streak");
    add_progress_filters(stats_cmd, stats);

    ReportOptions report;
    CLI::App* report_cmd = app.add_subcommand("report", "Export a progress report to keep or share");
    add_progress_filters(report_cmd, report.filter);
    report_cmd->add_option("--format", report.format, "md, csv, json or html")->capture_default_str();
    report_cmd->add_option("-o,--output", report.output, "Write to FILE atomically (default: stdout)")->type_name("FILE");
    report_cmd->add_flag("--no-clobber", report.no_clobber, "Fail rather than replace an existing FILE");
    report_cmd->add_flag("--with-answers", report.with_answers,
                         "md and html: add each answer with the points it covered and missed (answers are private)");

    for (CLI::App* command : {quiz_cmd, due_cmd, list_cmd, show_cmd, bank_cmd, validate_cmd, score_cmd, stats_cmd, report_cmd}) {
        add_version(*command);
        command->fallthrough();
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return finish_output(app.exit(e));
    } catch (const CLI::CallForAllHelp& e) {
        return finish_output(app.exit(e));
    } catch (const CLI::CallForVersion& e) {
        return finish_output(app.exit(e));
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitBadInput;
    }
    global.color = color == "always" ? ColorMode::Always : color == "never" ? ColorMode::Never : ColorMode::Auto;

    const bool on_terminal = is_terminal(STDIN_FILENO) && is_terminal(STDOUT_FILENO);
    if (*quiz_cmd || (app.get_subcommands().empty() && on_terminal)) {
        SignalWatch signals;
        std::unique_ptr<AnswerSource> answers;
        if (on_terminal) {
            answers = std::make_unique<TerminalAnswerSource>(STDIN_FILENO, STDOUT_FILENO, clock, signals,
                                                             make_style(ctx, global), locale_is_utf8(ctx.env),
                                                             ctx.console.columns);
        } else {
            answers = std::make_unique<StreamAnswerSource>(STDIN_FILENO, clock, signals);
        }
        if (!*quiz_cmd) return run_home(ctx, global, *answers);
        return run_quiz(ctx, global, quiz, *answers);
    }
    if (*due_cmd) return run_due(ctx, global, due);
    if (*list_cmd) return run_list(ctx, global, list);
    if (*show_cmd) return run_show(ctx, global, show);
    if (*validate_cmd) return run_bank_validate(ctx, global, validate_path);
    if (*score_cmd) return run_score(ctx, global, score);
    if (*stats_cmd) return run_stats(ctx, global, stats);
    if (*report_cmd) return run_report(ctx, global, report);
    return run_overview(ctx, global);
}
