#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "ehrprep/history.hpp"
#include "ehrprep/quiz_command.hpp"
#include "ehrprep/review_commands.hpp"
#include "ehrprep/text_layout.hpp"
#include "support/fakes.hpp"
#include "support/quiz_fakes.hpp"

using namespace ehrprep;
using test::make_attempt;

namespace {

constexpr Timestamp kNow{std::chrono::seconds{1'796'030'100}};  // 2026-11-30T09:15:00Z
constexpr std::chrono::days kDay{1};

GlobalOptions in_data_dir() {
    GlobalOptions global;
    global.data_dir = "/data";
    return global;
}

// beginner-1 weak and overdue, advanced-2 due today, beginner-2 strong and due in 6 days.
void write_history(test::FakeApp& app) {
    std::string lines;
    for (const Attempt& a : {make_attempt("beginner-1", kNow - 10 * kDay, 0.2), make_attempt("beginner-2", kNow - 2 * kDay, 0.95),
                             make_attempt("advanced-2", kNow - 2 * kDay, 0.65)})
        lines += serialize_attempt(a) + "\n";
    lines += "{torn line\n";
    app.files.files["/data/history.jsonl"] = lines;
}

}  // namespace

TEST_CASE("due lists what to review, most urgent first, with recall and stability", "[review]") {
    test::FakeApp app(kNow);
    write_history(app);
    REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{{}, 3.0, "text"}) == kExitOk);
    const std::string out = app.out.str();
    const auto weak = out.find("beginner-1");
    const auto today = out.find("advanced-2");
    REQUIRE(weak != std::string::npos);
    REQUIRE(today != std::string::npos);
    CHECK(weak < today);
    CHECK(out.find("beginner-2") == std::string::npos);  // an Easy answer: due in 6 days, beyond --within 3
    CHECK(out.find("2 due now, 0 more within 3 days, 47 never practised.") != std::string::npos);
    CHECK(app.err.str() == "ehrprep: warning: /data/history.jsonl:4: skipped: not valid JSON (a torn or edited line)\n");
}

TEST_CASE("due --format json carries dates, recall and stability", "[review]") {
    test::FakeApp app(kNow);
    write_history(app);
    REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{{}, 60.0, "json"}) == kExitOk);
    auto json = nlohmann::json::parse(app.out.str());
    CHECK(json["due_now"] == 2);
    CHECK(json["new"] == 47);
    REQUIRE(json["questions"].size() == 3);
    CHECK(json["questions"][0]["id"] == "beginner-1");
    CHECK(json["questions"][0]["due_now"] == true);
    CHECK(json["questions"][2]["id"] == "beginner-2");
    CHECK(json["questions"][2]["due_now"] == false);
    CHECK(json["questions"][0]["retrievability"].get<double>() < json["questions"][1]["retrievability"].get<double>());
}

TEST_CASE("due filters by tier and says when nothing is due", "[review]") {
    test::FakeApp app(kNow);
    write_history(app);
    REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{{"intermediate"}, 7.0, "text"}) == kExitOk);
    CHECK(app.out.str() ==
          "Nothing is due in the next 7 days.\n10 questions never practised: ehrprep quiz --review takes some.\n");
}

TEST_CASE("review settings are checked before anything is read", "[review]") {
    test::FakeApp app(kNow);
    GlobalOptions global = in_data_dir();
    global.rating_thresholds = "0.9,0.5,0.95";
    CHECK(run_due(app.ctx, global, DueOptions{}) == kExitBadInput);
    CHECK(app.err.str() == "ehrprep: --rating-thresholds: rating threshold 'good' must be greater than 'hard'\n");
}

TEST_CASE("quiz --review asks due questions first, then new ones", "[review][quiz]") {
    test::FakeApp app(kNow);
    write_history(app);
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});  // ends input at once: only the plan is shown
    QuizOptions options;
    options.review = true;
    options.new_questions = 1;
    options.seed = 3;
    REQUIRE(run_quiz(app.ctx, in_data_dir(), options, answers) == kExitOk);
    const std::string out = app.out.str();
    CHECK(out.find("Review: 2 due, 1 new.") != std::string::npos);
    const auto first = out.find("[1/3]");
    REQUIRE(first != std::string::npos);
    const std::string first_header = out.substr(first, out.find('\n', first) - first);
    CHECK(first_header.find("beginner-1") != std::string::npos);  // the weakest comes first
}

TEST_CASE("quiz --review with nothing due says when the next review is", "[review][quiz]") {
    test::FakeApp app(kNow);
    app.files.files["/data/history.jsonl"] = serialize_attempt(make_attempt("beginner-2", kNow - kDay, 0.95)) + "\n";
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});
    QuizOptions options;
    options.review = true;
    options.new_questions = 0;
    REQUIRE(run_quiz(app.ctx, in_data_dir(), options, answers) == kExitOk);
    CHECK(app.out.str().rfind("Nothing is due for review: the next is beginner-2 on ", 0) == 0);
    CHECK(app.out.str().find(" Dec (in ") != std::string::npos);
    CHECK(answers.requests.empty());
    options.ids = {"beginner-1"};
    CHECK(run_quiz(app.ctx, in_data_dir(), options, answers) == kExitBadInput);
}

TEST_CASE("due dates are shown in the user's local calendar, from the clock's offset", "[review]") {
    const Timestamp evening{std::chrono::seconds{1'796'068'800}};  // 2026-11-30T20:00:00Z; Good, so due two days later
    for (auto [offset_hours, expected] : {std::pair{0, "Wed 2 Dec"}, {5, "Thu 3 Dec"}, {-21, "Tue 1 Dec"}}) {
        test::FakeApp app(evening, {});
        app.clock = test::FixedClock(evening, std::chrono::hours(offset_hours));
        app.files.files["/data/history.jsonl"] = serialize_attempt(make_attempt("beginner-3", evening, 0.7)) + "\n";
        REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{}) == kExitOk);
        CAPTURE(offset_hours, app.out.str());
        CHECK(app.out.str().find(std::string("  ") + expected + "  ") != std::string::npos);
    }
}

TEST_CASE("due fits a narrow terminal, dropping columns rather than wrapping", "[review]") {
    test::FakeApp app(kNow, {{"COLUMNS", "60"}, {"LANG", "C.UTF-8"}});
    write_history(app);
    REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{{}, 7.0, "text"}) == kExitOk);
    const std::string out = app.out.str();
    INFO(out);
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) CHECK(display_width(line) <= 60);
    CHECK(out.find("STABILITY") == std::string::npos);
    CHECK(out.find("DATE") == std::string::npos);  // "9 days overdue" says when
    CHECK(out.find("RECALL  QUESTION") != std::string::npos);
    CHECK(out.find("beginner-1  9 days overdue") != std::string::npos);  // no room wasted after the id

    test::FakeApp wide(kNow, {{"COLUMNS", "160"}});
    write_history(wide);
    REQUIRE(run_due(wide.ctx, in_data_dir(), DueOptions{{}, 7.0, "text"}) == kExitOk);
    CHECK(wide.out.str().find("STABILITY  QUESTION") != std::string::npos);
}

TEST_CASE("due shows no chance of recall on the day of a review", "[review]") {
    test::FakeApp app(kNow, {{"COLUMNS", "120"}});
    // Failed an hour ago: due tomorrow, and "100%" recall would read as nonsense.
    app.files.files["/data/history.jsonl"] =
        serialize_attempt(make_attempt("beginner-1", kNow - std::chrono::hours{1}, 0.1)) + "\n" +
        serialize_attempt(make_attempt("beginner-2", kNow - 3 * kDay, 0.5)) + "\n";
    REQUIRE(run_due(app.ctx, in_data_dir(), DueOptions{{}, 7.0, "text"}) == kExitOk);
    const std::string out = app.out.str();
    INFO(out);
    const auto failed = out.find("beginner-1");
    REQUIRE(failed != std::string::npos);
    const std::string failed_row = out.substr(failed, out.find('\n', failed) - failed);
    CHECK(failed_row.find("in 1 day") != std::string::npos);
    CHECK(failed_row.find("      -") != std::string::npos);
    CHECK(failed_row.find('%') == std::string::npos);
    const auto older = out.find("beginner-2");
    REQUIRE(older != std::string::npos);
    CHECK(out.substr(older, out.find('\n', older) - older).find('%') != std::string::npos);
}

TEST_CASE("quiz --review takes at most --max-reviews due questions, the most urgent", "[review][quiz]") {
    test::FakeApp app(kNow);
    write_history(app);
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});
    QuizOptions options;
    options.review = true;
    options.new_questions = 1;
    options.seed = 3;
    GlobalOptions global = in_data_dir();
    global.max_reviews = 1;
    REQUIRE(run_quiz(app.ctx, global, options, answers) == kExitOk);
    const std::string out = app.out.str();
    CHECK(out.find("Review: 1 due (of 2), 1 new.") != std::string::npos);
    const auto first = out.find("[1/2]");
    REQUIRE(first != std::string::npos);
    CHECK(out.substr(first, out.find('\n', first) - first).find("beginner-1") != std::string::npos);
    CHECK(out.find("advanced-2") == std::string::npos);
}

TEST_CASE("ehrprep on a terminal greets a returning user and starts the review mix when reviews are due",
          "[review][quiz]") {
    test::FakeApp app(kNow, {{"LANG", "C.UTF-8"}});
    write_history(app);
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});
    REQUIRE(run_home(app.ctx, in_data_dir(), answers) == kExitOk);
    const std::string out = app.out.str();
    INFO(out);
    // beginner-1 (ten days ago) and advanced-2 (two days ago, 65%) are due; the one session
    // went on until two days ago, so there is no streak running.
    CHECK(out.rfind("2 questions due for review · last practised 2 days ago · last session 60%\n", 0) == 0);
    CHECK(out.find("Review: 2 due, 3 new.") != std::string::npos);
}

TEST_CASE("ehrprep greets with the last session of a long history whose session ids do not sort by start",
          "[review][quiz]") {
    // More sessions than a report keeps open, named "s0" to "s2099" ("s10" sorts before "s9"):
    // the greeting's figures come from a second, whole reading.
    test::FakeApp app(kNow);
    std::string lines;
    constexpr int kSessions = 2100;
    for (int k = 0; k < kSessions; ++k) {
        const bool last = k == kSessions - 1;
        Attempt a = make_attempt("beginner-2", kNow - std::chrono::hours{2 * (kSessions - k)}, last ? 0.37 : 0.9);
        a.session_id = "s" + std::to_string(k);
        lines += serialize_attempt(a) + "\n";
    }
    app.files.files["/data/history.jsonl"] = lines + "{torn line\n";
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});
    REQUIRE(run_home(app.ctx, in_data_dir(), answers) == kExitOk);
    const std::string out = app.out.str();
    INFO(out);
    CHECK(out.find("last session 37%") != std::string::npos);
    CHECK(out.find("streak 176 days") != std::string::npos);
    const std::string err = app.err.str();
    CHECK(err.find("skipped") != std::string::npos);
    CHECK(err.find("skipped") == err.rfind("skipped"));  // warned about once
}

TEST_CASE("ehrprep greets with the streak and starts a mixed quiz when nothing is due", "[review][quiz]") {
    test::FakeApp app(kNow);
    app.files.files["/data/history.jsonl"] =
        serialize_attempt(make_attempt("beginner-2", kNow - kDay, 0.9)) + "\n" +
        serialize_attempt(make_attempt("beginner-3", kNow - std::chrono::hours{1}, 0.5)) + "\n";
    test::ManualClock unused;
    test::ScriptedAnswerSource answers(unused, {});
    REQUIRE(run_home(app.ctx, in_data_dir(), answers) == kExitOk);
    const std::string out = app.out.str();
    INFO(out);
    CHECK(out.rfind("Nothing due for review - streak 2 days - last session 70%\n", 0) == 0);
    CHECK(out.find("Review:") == std::string::npos);
    CHECK(out.find("Practice session: 5 questions") != std::string::npos);

    test::FakeApp first_time(kNow);
    REQUIRE(run_home(first_time.ctx, in_data_dir(), answers) == kExitOk);
    CHECK(first_time.out.str().rfind("Practice session: 5 questions", 0) == 0);
}
