#include "ehrprep/command_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/posix_platform.hpp"
#include "ehrprep/progress_commands.hpp"
#include "ehrprep/quiz_command.hpp"
#include "ehrprep/review_commands.hpp"
#include "support/fakes.hpp"
#include "support/process.hpp"
#include "support/quiz_fakes.hpp"

using namespace ehrprep;

TEST_CASE("a failed command prints its error once and exits with the error's status", "[app]") {
    test::FakeApp app;
    CHECK(end_command(app.ctx, {}) == kExitOk);
    CHECK(end_command(app.ctx, Error{"no question with id 'x'"}) == kExitBadInput);
    CHECK(end_command(app.ctx, Error{"cannot write /r.md: No space left on device", kExitFailure}) == kExitFailure);
    CHECK(end_command(app.ctx, Error{{}, kExitBadInput, {"bank.json:3:9: syntax error", "bank.json: not valid"}}) ==
          kExitBadInput);
    // Said already, or nothing to say: the status alone.
    CHECK(end_command(app.ctx, Error{{}, kExitInterrupted}) == kExitInterrupted);
    CHECK(app.err.str() ==
          "ehrprep: no question with id 'x'\n"
          "ehrprep: cannot write /r.md: No space left on device\n"
          "bank.json:3:9: syntax error\n"
          "bank.json: not valid\n");
    CHECK(app.out.str().empty());
}

TEST_CASE("a bank from EHRPREP_BANK or --bank replaces the built-in one, and an unreadable one is bad input", "[app]") {
    test::TempDir dir;
    dir.write("bank.json", R"({"schema_version": 1, "title": "Mine", "tiers": [{"id": "x", "name": "X", "questions": [
        {"id": "x1", "question": "Q?", "hint": "H.", "concepts": [{"label": "l", "any": ["word"]}]}]}]})");
    dir.write("broken.json", "{\"title\": ");
    PosixFileSystem files;
    SystemClock clock;
    std::ostringstream out, err;
    std::istringstream in;
    AppContext ctx{Console{out, err, in}, files, clock, {{"EHRPREP_BANK", dir.file("bank.json")}}};

    std::string source;
    auto from_env = load_bank(ctx, {}, &source);
    REQUIRE(from_env);
    CHECK(from_env->title() == "Mine");
    CHECK(source == dir.file("bank.json"));

    GlobalOptions options;
    options.bank_path = dir.file("missing.json");
    auto missing = load_bank(ctx, options);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message ==
          "cannot read " + dir.file("missing.json") + ": No such file or directory (the question bank)");
    CHECK(missing.error().exit_status == kExitBadInput);

    options.bank_path = dir.file("broken.json");
    auto broken = load_bank(ctx, options);
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.empty());
    REQUIRE(broken.error().located.size() == 1);
    CHECK(broken.error().located[0].rfind(dir.file("broken.json") + ":1:", 0) == 0);
    CHECK(broken.error().exit_status == kExitBadInput);
    CHECK(err.str().empty());  // reporting is the command's to do
}

TEST_CASE("tiers resolve by id or name, once each, and an unknown one names the valid ones", "[app]") {
    const QuestionBank bank = embedded_bank();
    CHECK(resolve_tiers(bank, {"Beginner", "workflow", "BEGINNER"}).value() ==
          std::vector<std::string>{"beginner", "ai-workflow"});
    auto unknown = resolve_tiers(bank, {"expert"});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.rfind("unknown tier 'expert' (valid tiers: beginner,", 0) == 0);
    CHECK(unknown.error().exit_status == kExitBadInput);
}

TEST_CASE("every command that keeps or reads history exits 2 when it cannot tell where the data is", "[app]") {
    const std::string expected =
        "ehrprep: cannot tell where to keep data: set HOME, XDG_DATA_HOME or EHRPREP_HOME, or pass --data-dir\n";
    {
        test::FakeApp app;
        test::ManualClock clock;
        test::ScriptedAnswerSource answers(clock, {});
        CHECK(run_quiz(app.ctx, {}, QuizOptions{}, answers) == kExitBadInput);
        CHECK(app.err.str() == expected);
        CHECK(answers.requests.empty());
    }
    {
        test::FakeApp app;
        test::ManualClock clock;
        test::ScriptedAnswerSource answers(clock, {});
        QuizOptions review;
        review.review = true;
        CHECK(run_quiz(app.ctx, {}, review, answers) == kExitBadInput);
        CHECK(app.err.str() == expected);
    }
    {
        test::FakeApp app;
        CHECK(run_due(app.ctx, {}, DueOptions{}) == kExitBadInput);
        CHECK(app.err.str() == expected);
    }
    {
        test::FakeApp app;
        CHECK(run_stats(app.ctx, {}, StatsOptions{}) == kExitBadInput);
        CHECK(app.err.str() == expected);
    }
    {
        test::FakeApp app;
        CHECK(run_report(app.ctx, {}, ReportOptions{}) == kExitBadInput);
        CHECK(app.err.str() == expected);
    }
}

TEST_CASE("review settings take --retention and checked --rating-thresholds", "[app]") {
    GlobalOptions global;
    CHECK(review_settings(global).value().fsrs.desired_retention == 0.9);
    global.retention = 0.8;
    global.rating_thresholds = "0.3,0.5,0.9";
    const ReviewSettings settings = review_settings(global).value();
    CHECK(settings.fsrs.desired_retention == 0.8);
    CHECK(settings.thresholds.good == 0.5);
    global.rating_thresholds = "0.5,0.3,0.9";
    auto bad = review_settings(global);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().exit_status == kExitBadInput);
}
