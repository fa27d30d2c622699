// The quiz on a real (pseudo-)terminal, as a person at the keyboard sees and drives it.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "ehrprep/history.hpp"
#include "ehrprep/text_layout.hpp"
#include "support/process.hpp"
#include "support/pty.hpp"

using namespace std::chrono_literals;
using ehrprep::test::PtyProcess;
using ehrprep::test::read_text_file;
using ehrprep::test::TempDir;

namespace {

// What the prompt's status row always says while an answer is being typed.
constexpr const char* kPromptShown = "blank line submits";
// What the line after the feedback on an answer always says.
constexpr const char* kFeedbackPrompt = "any other key";

// ehrprep with `args` on a terminal `columns` wide.
std::unique_ptr<PtyProcess> start(const TempDir& home, std::vector<std::string> args, unsigned short columns = 80) {
    args.insert(args.begin(), EHRPREP_BINARY);
    std::map<std::string, std::string> env{{"PATH", "/usr/bin:/bin"}, {"TERM", "xterm"}, {"LANG", "C.UTF-8"},
                                           {"HOME", home.path()},     {"EHRPREP_HOME", home.path()}};
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name)) env[name] = value;
    return std::make_unique<PtyProcess>(args, env, columns);
}

std::unique_ptr<PtyProcess> start_quiz(const TempDir& home, std::vector<std::string> args) {
    args.insert(args.begin(), "quiz");
    return start(home, std::move(args));
}

// A history with beginner-1 answered poorly `days_ago` days ago, so that it is due now.
void write_history(const TempDir& home, int days_ago) {
    ehrprep::Attempt a;
    a.session_id = "S";
    a.question_id = "beginner-1";
    a.tier_id = "beginner";
    a.started_at = ehrprep::to_timestamp(std::chrono::system_clock::now()) - std::chrono::days{days_ago};
    a.seconds = 60;
    a.coverage = 0.25;
    a.missed = {"EHR shared across organizations"};
    a.answer = "EMRs are digital charts";
    home.write("history.jsonl", ehrprep::serialize_attempt(a) + "\n");
}

// The lines of what reached the screen, escape sequences and all, split where the terminal
// starts a new line.
std::vector<std::string> screen_lines(const std::string& screen) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end = screen.find("\r\n"); end != std::string::npos; end = screen.find("\r\n", start)) {
        lines.push_back(screen.substr(start, end - start));
        start = end + 2;
    }
    lines.push_back(screen.substr(start));
    return lines;
}

std::vector<nlohmann::json> history(const TempDir& home) {
    return ehrprep::test::read_json_lines(home.file("history.jsonl"));
}

std::set<std::string> countdown_values(const std::string& screen) {
    static const std::regex shown(R"((\d+:\d\d) left)");
    std::set<std::string> values;
    for (auto it = std::sregex_iterator(screen.begin(), screen.end(), shown); it != std::sregex_iterator(); ++it)
        values.insert((*it)[1].str());
    return values;
}

void check_terminal_restored(PtyProcess& quiz) {
    const termios before = quiz.settings_before();
    const termios after = quiz.pty().settings();
    CHECK(after.c_lflag == before.c_lflag);
    CHECK(after.c_iflag == before.c_iflag);
    CHECK(after.c_oflag == before.c_oflag);
    CHECK((after.c_lflag & ICANON) != 0);
    CHECK((after.c_lflag & ECHO) != 0);
}

}  // namespace

TEST_CASE("pty: the countdown ticks while the answer is typed", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-1", "--time-limit", "5"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    const std::string& screen = pty.read_for(2500ms);
    const std::set<std::string> values = countdown_values(screen);
    INFO(screen);
    CHECK(values.size() >= 2);
    CHECK(values.count("0:04") == 1);
    CHECK(values.count("0:03") == 1);

    pty.type("EMRs are paper charts in one practice, EHRs share records across organizations\r");
    pty.type("\r");
    CHECK(pty.wait_for_text("Coverage", 3s).find("Coverage") != std::string::npos);
    REQUIRE(pty.wait_for_text(kFeedbackPrompt, 3s).find(kFeedbackPrompt) != std::string::npos);
    pty.type(" ");
    CHECK(quiz->wait(5s) == 0);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["outcome"] == "answered");
}

TEST_CASE("pty: an unfinished answer is scored when time runs out", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-1", "--time-limit", "3"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    pty.type("EMRs live in one practice");
    const std::string& screen = pty.wait_for_text("Coverage", 6s);
    INFO(screen);
    CHECK(screen.find("Time's up at 0:03: your answer so far was scored.") != std::string::npos);
    CHECK(screen.find("Answered in") == std::string::npos);
    std::smatch percent;
    REQUIRE(std::regex_search(screen, percent, std::regex(R"(Coverage\s+(\d+)%)")));
    CHECK(std::stoi(percent[1].str()) > 0);
    REQUIRE(pty.wait_for_text(kFeedbackPrompt, 3s).find(kFeedbackPrompt) != std::string::npos);
    pty.type(" ");
    CHECK(quiz->wait(5s) == 0);

    const std::string raw = read_text_file(home.file("history.jsonl"));
    CHECK(raw.find("EMRs live in one practice") != std::string::npos);
    CHECK(raw.find(R"("outcome":"timed_out")") != std::string::npos);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["answer"] == "EMRs live in one practice");
}

namespace {

// Starts a two-question quiz, answers the first with `answer` and goes on to the second's prompt.
std::unique_ptr<PtyProcess> at_second_question(const TempDir& home, const std::string& answer) {
    auto quiz = start_quiz(home, {"--ids", "beginner-1,beginner-2", "--order", "bank", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    pty.type(answer + "\r\r");
    REQUIRE(pty.wait_for_text(kFeedbackPrompt, 3s).find(kFeedbackPrompt) != std::string::npos);
    pty.type(" ");
    const std::size_t before_next = pty.screen().size();
    const auto next_prompt = [&](const std::string& s) {
        const std::size_t header = s.find("[2/2]", before_next);
        return header != std::string::npos && s.find(kPromptShown, header) != std::string::npos;
    };
    REQUIRE(next_prompt(pty.read_until(next_prompt, 3s)));
    return quiz;
}

}  // namespace

TEST_CASE("pty: Ctrl-C ends the session with a summary and restores the terminal", "[terminal][e2e]") {
    TempDir home;
    auto quiz = at_second_question(home, "EHRs share records across organizations");
    auto& pty = quiz->pty();
    pty.type("half an answer");
    pty.wait_for_text("answer", 3s);
    pty.type("\x03");
    CHECK(quiz->wait(5s) == 130);
    const std::string& screen = pty.screen();
    INFO(screen);
    CHECK(screen.find("Interrupted: the unfinished answer was not saved.") != std::string::npos);
    CHECK(screen.find("Session summary") != std::string::npos);
    check_terminal_restored(*quiz);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);  // the interrupted answer is dropped
    CHECK(lines[0]["question"] == "beginner-1");
}

TEST_CASE("pty: SIGTERM mid-answer exits 130 and restores the terminal", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-1", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    pty.type("typing away");
    pty.wait_for_text("away", 3s);
    quiz->signal(SIGTERM);
    CHECK(quiz->wait(5s) == 130);
    check_terminal_restored(*quiz);
}

TEST_CASE("pty: Backspace and Ctrl-W edit the answer that is saved", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-1", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    const std::size_t typed_from = pty.screen().size();
    for (const char* keys : {"helo", "\x7f", "lo world", "\x17", "there", "\r", "\r"}) {
        pty.type(keys);
        pty.read_for(30ms);
    }
    CHECK(pty.wait_for_text("Coverage", 3s, typed_from).find("Coverage", typed_from) != std::string::npos);
    REQUIRE(pty.wait_for_text(kFeedbackPrompt, 3s, typed_from).find(kFeedbackPrompt, typed_from) != std::string::npos);
    pty.type(" ");
    CHECK(quiz->wait(5s) == 0);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["answer"] == "hello there");
    check_terminal_restored(*quiz);
}

TEST_CASE("pty: a closed terminal ends the session like Ctrl-C, keeping what was answered", "[terminal][e2e]") {
    TempDir home;
    auto quiz = at_second_question(home, "EMRs stay in one practice");
    auto& pty = quiz->pty();
    pty.type("an answer that is never sent");
    pty.read_for(100ms);
    pty.close_master();  // the window is closed: the kernel hangs up the terminal
    CHECK(quiz->wait(5s) == 130);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["answer"] == "EMRs stay in one practice");
}

TEST_CASE("pty: a huge pasted word is scored, and Ctrl-C right after still ends the session", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-2,beginner-3", "--order", "bank", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    std::string word;
    while (word.size() < 5'500) word += "encryptionx";
    // Pasted in pieces, as a terminal sends a paste, reading the screen between them as a
    // terminal does; then submitted with a blank line and Ctrl-C at once, in one write.
    const std::string paste = "\x1b[200~We use " + word + " at rest";
    for (std::size_t at = 0; at < paste.size(); at += 512) {
        pty.type(paste.substr(at, 512));
        pty.read_for(10ms);
    }
    pty.type("\x1b[201~\r\r\x03");
    CHECK(quiz->wait(20s) == 130);
    const std::string& screen = pty.screen();
    INFO(screen.substr(screen.size() > 3000 ? screen.size() - 3000 : 0));
    CHECK(screen.find("Coverage") != std::string::npos);
    CHECK(screen.find("Session summary") != std::string::npos);
    CHECK(screen.find("[2/2]") == std::string::npos);
    check_terminal_restored(*quiz);
    auto lines = history(home);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["question"] == "beginner-2");
    CHECK(lines[0]["answer"].get<std::string>().find(word) != std::string::npos);
}

TEST_CASE("pty: ehrprep greets a returning user and starts with what is due", "[terminal][e2e]") {
    TempDir home;
    write_history(home, 10);
    auto ehrprep = start(home, {});
    auto& pty = ehrprep->pty();
    const std::string& screen = pty.wait_for_text(kPromptShown, 5s);
    INFO(screen);
    CHECK(screen.find("1 question due for review · last practised 10 days ago · last session 25%") !=
          std::string::npos);
    CHECK(screen.find("Review: 1 due, 3 new.") != std::string::npos);
    CHECK(screen.find("[1/4]") != std::string::npos);
    CHECK(screen.find("beginner-1") != std::string::npos);
    pty.type("\x03");
    CHECK(ehrprep->wait(5s) == 130);
}

TEST_CASE("pty: due on a 60-column terminal fits without wrapping", "[terminal][e2e]") {
    TempDir home;
    write_history(home, 10);
    auto due = start(home, {"due"}, 60);
    CHECK(due->wait(5s) == 0);
    const std::string& screen = due->pty().screen();
    INFO(screen);
    CHECK(screen.find("RECALL") != std::string::npos);
    CHECK(screen.find("beginner-1") != std::string::npos);
    for (const std::string& line : screen_lines(screen)) {
        INFO(line);
        CHECK(ehrprep::display_width(line) <= 60);
    }
}

TEST_CASE("pty: a slip in an id or a tier gets did you mean", "[terminal][e2e]") {
    TempDir home;
    auto slip = start_quiz(home, {"--ids", "begginer-3"});
    CHECK(slip->wait(5s) == 2);
    CHECK(slip->pty().screen().find("no question with id 'begginer-3' (did you mean beginner-3?)") != std::string::npos);
    auto tier = start(home, {"due", "--tier", "Behavioural"});
    CHECK(tier->wait(5s) == 2);
    CHECK(tier->pty().screen().find("unknown tier 'Behavioural' (did you mean behavioral?)") != std::string::npos);
}

TEST_CASE("pty: r retries the question, saved as a retry, with what changed since the first try", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-3", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    pty.type("We encrypt PHI at rest and in transit.\r\r");
    REQUIRE(pty.wait_for_text(kFeedbackPrompt, 3s).find(kFeedbackPrompt) != std::string::npos);
    const std::size_t retry_from = pty.screen().size();
    pty.type("r");
    REQUIRE(pty.wait_for_text("[1/1 again]", 3s, retry_from).find("[1/1 again]", retry_from) != std::string::npos);
    pty.wait_for_text(kPromptShown, 3s, retry_from);
    pty.type("We encrypt PHI at rest and in transit, keep audit logs of every access and use role-based access.\r\r");
    const std::string& screen = pty.wait_for_text("Since your last try", 3s, retry_from);
    INFO(screen.substr(retry_from));
    const std::size_t change = screen.find("Since your last try", retry_from);
    REQUIRE(change != std::string::npos);
    CHECK(screen.find("Newly covered:", change) != std::string::npos);
    CHECK(screen.find("Audit logging", change) != std::string::npos);
    pty.wait_for_text(kFeedbackPrompt, 3s, change);
    pty.type(" ");
    CHECK(quiz->wait(5s) == 0);
    auto lines = history(home);
    REQUIRE(lines.size() == 2);
    CHECK_FALSE(lines[0].contains("retry"));
    CHECK(lines[1]["retry"] == true);
    CHECK(lines[1]["coverage"].get<double>() > lines[0]["coverage"].get<double>());
    CHECK(pty.screen().find("retry, not averaged") != std::string::npos);  // in the summary
}

TEST_CASE("pty: e shows the example answer, and a skip shows the points with their tips", "[terminal][e2e]") {
    TempDir home;
    auto quiz = start_quiz(home, {"--ids", "beginner-3", "--no-timer"});
    auto& pty = quiz->pty();
    REQUIRE(pty.wait_for_text(kPromptShown, 5s).find(kPromptShown) != std::string::npos);
    pty.type(":skip\r");
    const std::string& skipped = pty.wait_for_text(kFeedbackPrompt, 3s);
    INFO(skipped);
    CHECK(skipped.find("The points to make") != std::string::npos);
    CHECK(skipped.find("Integrity controls") != std::string::npos);
    CHECK(skipped.find("checksums") != std::string::npos);  // from the tip
    const std::size_t from = pty.screen().size();
    pty.type("e");
    const std::string& shown = pty.wait_for_text("An example answer", 3s, from);
    CHECK(shown.find("An example answer", from) != std::string::npos);
    pty.wait_for_text(kFeedbackPrompt, 3s, from);
    pty.type(" ");
    CHECK(quiz->wait(5s) == 0);
    check_terminal_restored(*quiz);
}
