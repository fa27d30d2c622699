// The quiz through pipes, as a script would drive it.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <sstream>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

using ehrprep::test::read_text_file;
using ehrprep::test::run_ehrprep;
using ehrprep::test::TempDir;

namespace {

std::vector<nlohmann::json> history_lines(const std::string& path) { return ehrprep::test::read_json_lines(path); }

}  // namespace

TEST_CASE("e2e: a quiz reads blank-line separated answers from a pipe", "[e2e][quiz]") {
    TempDir dir;
    auto result = run_ehrprep({"quiz", "-n", "2", "--seed", "1", "--order", "bank", "--data-dir", dir.path()},
                              "EMRs are digital paper charts inside one practice.\nEHRs move across organizations.\n\n"
                              "FHIR is an interoperability standard with RESTful APIs\n\n");
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("[1/2] Beginner") != std::string::npos);
    CHECK(result.out.find("[2/2] Beginner") != std::string::npos);
    CHECK(result.out.find("Session summary") != std::string::npos);
    CHECK(result.out.find('\x1b') == std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["question"] == "beginner-1");
    CHECK(lines[0]["answer"] == "EMRs are digital paper charts inside one practice.\nEHRs move across organizations.");
    CHECK(lines[0]["coverage"].get<double>() > 0.5);
    CHECK(lines[1]["question"] == "beginner-2");
    CHECK(lines[0]["session"] == lines[1]["session"]);
    struct stat st {};
    REQUIRE(::stat(dir.file("history.jsonl").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("e2e: history goes to EHRPREP_HOME, then XDG_DATA_HOME", "[e2e][quiz]") {
    TempDir dir;
    auto via_xdg = run_ehrprep({"quiz", "--ids", "beginner-1"}, "an answer\n\n", {{"XDG_DATA_HOME", dir.file("xdg")}});
    CHECK(via_xdg.exit_code == 0);
    CHECK(history_lines(dir.file("xdg/ehrprep/history.jsonl")).size() == 1);
    auto via_home = run_ehrprep({"quiz", "--ids", "beginner-1"}, "an answer\n\n",
                                {{"XDG_DATA_HOME", dir.file("xdg")}, {"EHRPREP_HOME", dir.file("home")}});
    CHECK(via_home.exit_code == 0);
    CHECK(history_lines(dir.file("home/history.jsonl")).size() == 1);
}

TEST_CASE("e2e: :skip and :quit in piped input", "[e2e][quiz]") {
    TempDir dir;
    auto result = run_ehrprep({"quiz", "-n", "3", "--order", "bank", "--tier", "advanced", "--data-dir", dir.path()},
                              ":skip\n:quit\nnever read\n\n");
    CHECK(result.exit_code == 0);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["outcome"] == "skipped");
    CHECK(lines[1]["outcome"] == "quit");
    CHECK(result.out.find("[3/3]") == std::string::npos);
}

TEST_CASE("e2e: quiz filters that leave nothing, and bad options, exit 2", "[e2e][quiz]") {
    TempDir dir;
    auto none = run_ehrprep({"quiz", "--ids", "beginner-1", "--tier", "advanced", "--data-dir", dir.path()});
    CHECK(none.exit_code == 2);
    CHECK(none.err == "ehrprep: none of the questions given with --ids is in tier advanced\n");
    auto bad_tier = run_ehrprep({"quiz", "--tier", "expert", "--data-dir", dir.path()});
    CHECK(bad_tier.exit_code == 2);
    auto both = run_ehrprep({"quiz", "--no-timer", "--time-limit", "30", "--data-dir", dir.path()});
    CHECK(both.exit_code == 2);
    CHECK(both.err == "ehrprep: --time-limit and --no-timer contradict each other: give one\n");
    auto zero = run_ehrprep({"quiz", "-n", "0", "--data-dir", dir.path()});
    CHECK(zero.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir.file("history.jsonl")));
}

TEST_CASE("e2e: time limits apply to piped input too", "[e2e][quiz]") {
    TempDir dir;
    ehrprep::test::RunningEhrprep quiz({"quiz", "--ids", "beginner-1", "--time-limit", "1", "--data-dir", dir.path()});
    const std::string partial = "EMRs stay within a single practice and";
    // The pipe stays open: the answer is never finished, so only the time limit can end it.
    quiz.write(partial);
    CHECK(quiz.wait() == 0);
    CHECK(quiz.output().find("Time's up") != std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["outcome"] == "timed_out");
    CHECK(lines[0]["answer"] == partial);
    CHECK(lines[0]["coverage"].get<double>() > 0.0);
}

TEST_CASE("e2e: SIGTERM mid-answer prints the summary and exits 130", "[e2e][quiz]") {
    TempDir dir;
    ehrprep::test::RunningEhrprep quiz({"quiz", "-n", "2", "--order", "bank", "--data-dir", dir.path()});
    quiz.write("a first answer\n\nhalf of a second");
    quiz.read_until("[2/2]");
    quiz.signal(SIGTERM);
    CHECK(quiz.wait() == 130);
    CHECK(quiz.output().find("Session summary") != std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 1);  // the unfinished second answer is dropped
    CHECK(lines[0]["answer"] == "a first answer");
}
