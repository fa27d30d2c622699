// The quiz through pipes, as a script would drive it.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

using ehrprep::test::read_text_file;
using ehrprep::test::run_ehrprep;
using ehrprep::test::TempDir;

namespace {

std::vector<nlohmann::json> history_lines(const std::string& path) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(read_text_file(path));
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

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
    int to_child[2];
    REQUIRE(::pipe(to_child) == 0);
    int from_child[2];
    REQUIRE(::pipe(from_child) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(to_child[0], 0);
        ::dup2(from_child[1], 1);
        ::close(to_child[1]);
        ::close(from_child[0]);
        const std::string data_dir = dir.path();
        ::execl(EHRPREP_BINARY, EHRPREP_BINARY, "quiz", "--ids", "beginner-1", "--time-limit", "1", "--data-dir",
                data_dir.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    const std::string partial = "EMRs stay within a single practice and";
    REQUIRE(::write(to_child[1], partial.data(), partial.size()) == static_cast<ssize_t>(partial.size()));
    // Keep the pipe open: the answer is never finished, so only the time limit can end it.
    std::string out;
    char buffer[4096];
    for (;;) {
        pollfd fd{from_child[0], POLLIN, 0};
        if (::poll(&fd, 1, 10000) <= 0) break;
        ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(to_child[1]);
    ::close(from_child[0]);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(out.find("Time's up") != std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["outcome"] == "timed_out");
    CHECK(lines[0]["answer"] == partial);
    CHECK(lines[0]["coverage"].get<double>() > 0.0);
}

TEST_CASE("e2e: SIGTERM mid-answer prints the summary and exits 130", "[e2e][quiz]") {
    TempDir dir;
    int to_child[2];
    REQUIRE(::pipe(to_child) == 0);
    int from_child[2];
    REQUIRE(::pipe(from_child) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(to_child[0], 0);
        ::dup2(from_child[1], 1);
        ::close(to_child[1]);
        ::close(from_child[0]);
        const std::string data_dir = dir.path();
        ::execl(EHRPREP_BINARY, EHRPREP_BINARY, "quiz", "-n", "2", "--order", "bank", "--data-dir", data_dir.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    const std::string first = "a first answer\n\nhalf of a second";
    REQUIRE(::write(to_child[1], first.data(), first.size()) == static_cast<ssize_t>(first.size()));
    // Wait until the second question is on screen, then stop the session.
    std::string out;
    char buffer[4096];
    while (out.find("[2/2]") == std::string::npos) {
        pollfd fd{from_child[0], POLLIN, 0};
        if (::poll(&fd, 1, 10000) <= 0) break;
        ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::kill(pid, SIGTERM);
    for (;;) {
        ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(to_child[1]);
    ::close(from_child[0]);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    CHECK(out.find("Session summary") != std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 1);  // the unfinished second answer is dropped
    CHECK(lines[0]["answer"] == "a first answer");
}
