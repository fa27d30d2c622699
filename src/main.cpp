// Wires the command line to the library: every command's work lives in ehrprep_app.
#include <iostream>
#include <random>
#include <string>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/posix_platform.hpp"
#include "ehrprep/quiz_command.hpp"
#include "ehrprep/signal_watch.hpp"
#include "ehrprep/stream_answer_source.hpp"

extern char** environ;

namespace {

void add_version(CLI::App& command) { command.set_version_flag("--version", "ehrprep " EHRPREP_VERSION); }

}  // namespace

int main(int argc, char** argv) {
    using namespace ehrprep;
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
    app.require_subcommand(0, 1);

    QuizOptions quiz;
    CLI::App* quiz_cmd = app.add_subcommand("quiz", "Run a timed practice session (the default on a terminal)");
    quiz_cmd->add_option("--tier", quiz.tiers, "Only this tier (repeatable)");
    quiz_cmd->add_option("-n,--count", quiz.count, "How many questions (default 5, or all of --ids)")
        ->check(CLI::PositiveNumber);
    quiz_cmd->add_option("--ids", quiz.ids, "Ask exactly these questions")->delimiter(',')->type_name("ID,...");
    quiz_cmd->add_option("--order", quiz.order, "random (mixing tiers) or bank")
        ->check(CLI::IsMember({"random", "bank"}))
        ->capture_default_str();
    quiz_cmd->add_option("--seed", quiz.seed, "Seed for a reproducible random order");
    quiz_cmd->add_option("--time-limit", quiz.time_limit_seconds, "Seconds per question (default: the tier's)")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS");
    quiz_cmd->add_flag("--no-timer", quiz.no_timer, "No time limit per question");
    quiz_cmd->add_option("--session-time", quiz.session_minutes, "Cap the whole session")
        ->check(CLI::PositiveNumber)
        ->type_name("MINUTES");

    ListOptions list;
    CLI::App* list_cmd = app.add_subcommand("list", "List the questions of the bank");
    list_cmd->add_option("--tier", list.tiers, "Only this tier (repeatable): beginner, intermediate, advanced, "
                                               "scenario, ai-workflow (or workflow), behavioral");
    list_cmd->add_option("--format", list.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    ShowOptions show;
    CLI::App* show_cmd = app.add_subcommand("show", "Show one question");
    show_cmd->add_option("id", show.id, "Question id, as 'ehrprep list' shows it")->required();
    show_cmd->add_flag("--hint", show.hint, "Also show what a great answer covers");
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

    for (CLI::App* command : {quiz_cmd, list_cmd, show_cmd, bank_cmd, validate_cmd, score_cmd}) {
        add_version(*command);
        command->fallthrough();
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitBadInput;
    }
    global.color = parse_color_mode(color).value();

    const bool on_terminal = is_terminal(STDIN_FILENO) && is_terminal(STDOUT_FILENO);
    if (*quiz_cmd || (app.get_subcommands().empty() && on_terminal)) {
        SignalWatch signals;
        StreamAnswerSource answers(STDIN_FILENO, clock, signals);
        return run_quiz(ctx, global, quiz, answers);
    }
    if (*list_cmd) return run_list(ctx, global, list);
    if (*show_cmd) return run_show(ctx, global, show);
    if (*validate_cmd) return run_bank_validate(ctx, global, validate_path);
    if (*score_cmd) return run_score(ctx, global, score);
    return run_overview(ctx, global);
}
