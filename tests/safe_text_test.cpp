#include <catch2/catch.hpp>

#include <filesystem>

#include "ehrprep/history.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/time.hpp"
#include "support/process.hpp"

using namespace ehrprep;

TEST_CASE("terminal-safe text keeps letters, accents, newlines and tabs as they are", "[safe-text]") {
    const std::string text = "Café naïve 中文 ✓ — line one\n\tindented";
    CHECK(terminal_safe(text) == text);
    CHECK(is_terminal_safe(text));
}

TEST_CASE("escape sequences that set the title, the clipboard or clear the screen are shown, not obeyed",
          "[safe-text]") {
    CHECK(terminal_safe("\x1b]0;pwned\x07title") == "^[]0;pwned^Gtitle");
    CHECK(terminal_safe("\x1b]52;c;aGVsbG8=\x1b\\") == "^[]52;c;aGVsbG8=^[\\");
    CHECK(terminal_safe("\x1b[2Jcleared") == "^[[2Jcleared");
    CHECK(terminal_safe(std::string("a\0b", 3)) == "a^@b");
    CHECK(terminal_safe("over\rwrite\b\x7f") == "over^Mwrite^H^?");
    CHECK_FALSE(is_terminal_safe("\x1b[2J"));
}

TEST_CASE("C1 controls and bytes that are not UTF-8 become a replacement character", "[safe-text]") {
    CHECK(terminal_safe("\xc2\x9b" "2J") == "\xef\xbf\xbd" "2J");  // U+009B, the one-character CSI
    CHECK(terminal_safe("\x9b" "2J") == "\xef\xbf\xbd" "2J");      // the same as a raw byte
    CHECK(terminal_safe("ab\xff") == "ab\xef\xbf\xbd");
    CHECK(terminal_safe("\xc2\xa0nbsp") == "\xc2\xa0nbsp");        // U+00A0 is printable
}

TEST_CASE("making text terminal-safe twice changes nothing more", "[safe-text]") {
    const std::string once = terminal_safe("\x1b[31mred\x1b[0m \x9b \xc2\x85 \x01");
    CHECK(is_terminal_safe(once));
    CHECK(terminal_safe(once) == once);
}

// Every path by which text from a bank, an answer or the history reaches the terminal, through
// the real binary: each must show the control characters in it, never send them.
namespace {

const char* kHostileBank = R"({"schema_version": 1, "title": "Bank \u001b]0;pwned\u0007", "tiers": [
  {"id": "basics", "name": "Basics \u001b[2J", "time_limit_seconds": 120, "questions": [
    {"id": "basics-1", "question": "What is an EHR? \u001b]52;c;aGk=\u0007", "hint": "Say what it holds \u009b2J.",
     "example": "An EHR \u001b]0;example\u0007 holds the record.",
     "concepts": [{"label": "Alpha \u001b[31m", "weight": 1, "any": ["alpha"], "tip": "Tip \u0007 here"},
                  {"label": "Charlie delta", "weight": 1, "any": ["charlie delta"], "tip": "Say both."},
                  {"label": "Missed \u001b[5m", "weight": 1, "any": ["echo"], "tip": "Say \u001b[8m echo"}]}]}]})";

// No escape sequence, bell or C1 control survived, and something shows where one was.
void check_shown_not_obeyed(const ehrprep::test::ProcessResult& result) {
    CAPTURE(result.out, result.err);
    for (const std::string* stream : {&result.out, &result.err}) {
        CHECK(stream->find('\x1b') == std::string::npos);
        CHECK(stream->find('\x07') == std::string::npos);
        CHECK(stream->find("\xc2\x9b") == std::string::npos);
    }
    CHECK((result.out + result.err).find("^[") != std::string::npos);
}

struct HostileSetup {
    HostileSetup() {
        dir.write("bank.json", kHostileBank);
        std::filesystem::create_directories(dir.file("data"));
    }
    [[nodiscard]] ehrprep::test::ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
        args.insert(args.begin(), {"--bank", dir.file("bank.json"), "--data-dir", dir.file("data")});
        return ehrprep::test::run_ehrprep(args, input);
    }
    ehrprep::test::TempDir dir;
};

}  // namespace

TEST_CASE("bank text is shown, never obeyed, by the overview, list, show and bank validate", "[safe-text][e2e]") {
    HostileSetup s;
    for (const std::vector<std::string>& args : {std::vector<std::string>{}, {"list"}, {"show", "basics-1", "--hint"},
                                                 {"show", "basics-1", "--example"},
                                                 {"bank", "validate", s.dir.file("bank.json")}}) {
        CAPTURE(args);
        auto result = s.run(args);
        CHECK(result.exit_code == 0);
        check_shown_not_obeyed(result);
    }
    CHECK(s.run({"show", "basics-1", "--hint"}).out.find("Alpha ^[[31m") != std::string::npos);
}

TEST_CASE("an answer quoted back by score is shown, never obeyed, with the bank's labels and tips", "[safe-text][e2e]") {
    HostileSetup s;
    // ESC c resets the whole terminal; BEL rings it.
    auto result = s.run({"score", "-q", "basics-1"}, "alpha, then charlie \x1b" "c\x07 delta.\n");
    CHECK(result.exit_code == 0);
    check_shown_not_obeyed(result);
    CHECK(result.out.find("you said: \"charlie ^[c^G delta\"") != std::string::npos);
    CHECK(result.out.find("Tip: Say ^[[8m echo") != std::string::npos);
}

TEST_CASE("the quiz shows bank text and the answer in its header, feedback and summary, never obeying them",
          "[safe-text][e2e]") {
    HostileSetup s;
    auto result = s.run({"quiz", "--ids", "basics-1"}, "alpha and charlie \x1b[2J delta\n\n");
    CHECK(result.exit_code == 0);
    check_shown_not_obeyed(result);
    CHECK(result.out.find("[1/1] Basics ^[[2J") != std::string::npos);
    // A skip shows the hint and every point with its tip.
    auto skipped = s.run({"quiz", "--ids", "basics-1"}, ":skip\n");
    CHECK(skipped.exit_code == 0);
    check_shown_not_obeyed(skipped);
    CHECK(skipped.out.find("Say ^[[8m echo") != std::string::npos);
}

TEST_CASE("history values are shown, never obeyed, by stats, due, warnings and Markdown and CSV reports",
          "[safe-text][e2e]") {
    HostileSetup s;
    ehrprep::Attempt attempt;
    attempt.session_id = "s\x1b]0;session\x07";
    attempt.question_id = "basics-1";
    attempt.tier_id = "basics";
    attempt.started_at = ehrprep::parse_utc("2026-03-01T09:00:00Z").value();
    attempt.coverage = 0.5;
    attempt.covered = {"Alpha \x1b[31m"};
    attempt.missed = {"\x1b]52;c;aGk=\x07 clipboard"};
    attempt.answer = "alpha \x1b[2J answer";
    ehrprep::Attempt retired = attempt;
    retired.question_id = "retired-\x1b[5m";
    retired.tier_id = "gone\x1b[8m";
    const std::string bad_outcome =
        R"({"schema_version":1,"session":"s","question":"q","tier":"t","started_at":"2026-03-01T09:00:00Z","seconds":1,)"
        R"("outcome":"\u001b]0;x\u0007","coverage":0,"covered":[],"missed":[],"answer":""})";
    s.dir.write("data/history.jsonl", ehrprep::serialize_attempt(attempt) + "\n" + ehrprep::serialize_attempt(retired) +
                                          "\n" + bad_outcome + "\n");
    for (const std::vector<std::string>& args : {std::vector<std::string>{"stats"}, {"due"}, {"report"},
                                                 {"report", "--format", "csv"}}) {
        CAPTURE(args);
        auto result = s.run(args);
        CHECK(result.exit_code == 0);
        check_shown_not_obeyed(result);
        CHECK(result.err.find("unknown value '^[]0;x^G'") != std::string::npos);
    }
}

TEST_CASE("an error quoting what was typed on the command line shows it, never obeys it", "[safe-text][e2e]") {
    auto result = ehrprep::test::run_ehrprep({"show", "\x1b]0;x\x07"});
    CHECK(result.exit_code == 2);
    CHECK(result.err == "ehrprep: no question with id '^[]0;x^G' (see 'ehrprep list')\n");
}
