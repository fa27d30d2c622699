// The quiz through pipes, as a script would drive it.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

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

TEST_CASE("e2e: a data directory that cannot be written is refused before the first question", "[e2e][quiz]") {
    TempDir dir;
    const std::string data = dir.file("data");
    std::filesystem::create_directory(data);
    ehrprep::test::ProcessOptions options;
    options.input = "an answer that would be lost\n\n";
    if (::geteuid() == 0) {
        // Root writes anywhere: run as nobody, in a directory nobody may write.
        REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        REQUIRE(::chmod(data.c_str(), 0755) == 0);
        options.user = 65534;
    } else {
        REQUIRE(::chmod(data.c_str(), 0555) == 0);
    }
    options.env = ehrprep::test::ehrprep_environment({{"EHRPREP_HOME", data}});
    auto result = ehrprep::test::run_process({EHRPREP_BINARY, "quiz", "--ids", "beginner-1"}, options);
    ::chmod(data.c_str(), 0755);
    CHECK(result.exit_code == 1);
    CHECK(result.err == "ehrprep: cannot create files in " + data +
                            ": Permission denied (answers could not be saved, so the session was not started)\n");
    CHECK(result.out.find("[1/1]") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(data + "/history.jsonl"));
}

TEST_CASE("e2e: a history that is a symbolic link is refused and nothing is written through it", "[e2e][quiz]") {
    TempDir dir;
    dir.write("notes.txt", "someone else's notes\n");
    std::filesystem::create_directory(dir.file("data"));
    std::filesystem::create_symlink(dir.file("notes.txt"), dir.file("data/history.jsonl"));
    auto result = run_ehrprep({"quiz", "--ids", "beginner-1", "--data-dir", dir.file("data")}, "an answer\n\n");
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("is a symbolic link") != std::string::npos);
    CHECK(result.out.find("[1/1]") == std::string::npos);
    CHECK(read_text_file(dir.file("notes.txt")) == "someone else's notes\n");
}

TEST_CASE("e2e: a history others can read is made private before the session, with a warning", "[e2e][quiz]") {
    TempDir dir;
    auto first = run_ehrprep({"quiz", "--ids", "beginner-1", "--data-dir", dir.path()}, "an answer\n\n");
    REQUIRE(first.exit_code == 0);
    REQUIRE(::chmod(dir.file("history.jsonl").c_str(), 0644) == 0);
    auto second = run_ehrprep({"quiz", "--ids", "beginner-2", "--data-dir", dir.path()}, "another\n\n");
    CHECK(second.exit_code == 0);
    CHECK(second.err == "ehrprep: warning: " + dir.file("history.jsonl") +
                            " could be read by others (mode 0644): it is now readable by you only (0600)\n");
    struct stat st {};
    REQUIRE(::stat(dir.file("history.jsonl").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(history_lines(dir.file("history.jsonl")).size() == 2);
}

TEST_CASE("e2e: a flood of piped answer text is cut at 64 KiB, said, saved and scored", "[e2e][quiz]") {
    TempDir dir;
    std::string flood;
    while (flood.size() < (std::size_t{2} << 20)) flood += "encrypt data\n";
    auto result = run_ehrprep({"quiz", "--ids", "beginner-3", "--data-dir", dir.path()}, flood);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("Your answer was longer than 64 KiB: the first 64 KiB was kept and scored.") !=
          std::string::npos);
    auto lines = history_lines(dir.file("history.jsonl"));
    REQUIRE(lines.size() == 1);
    const std::string answer = lines[0]["answer"];
    CHECK(answer.size() <= 65536);
    CHECK(answer.size() > 65000);
    CHECK_FALSE(lines[0]["covered"].empty());
}

TEST_CASE("e2e: a session time under a second still asks a question and says when the time is up", "[e2e][quiz]") {
    TempDir dir;
    ehrprep::test::RunningEhrprep quiz({"quiz", "-n", "2", "--session-time", "0.001", "--data-dir", dir.path()});
    quiz.read_until("The session's time is up");
    CHECK(quiz.wait() == 0);
    CHECK(quiz.output().find("[1/2]") != std::string::npos);
    CHECK(quiz.output().find("[2/2]") == std::string::npos);
    CHECK(quiz.output().find("Session summary") != std::string::npos);
}

TEST_CASE("e2e: a file-size limit reached mid-append loses no line and keeps the session going", "[e2e][quiz]") {
    TempDir dir;
    // Whole lines up to just under the limit, as a long history would have.
    std::string earlier;
    {
        auto seed = run_ehrprep({"quiz", "--ids", "beginner-1", "--data-dir", dir.path()}, "a first answer\n\n");
        REQUIRE(seed.exit_code == 0);
        const std::string line = read_text_file(dir.file("history.jsonl"));
        while (earlier.size() + line.size() < 3900) earlier += line;
        earlier += std::string(4000 - earlier.size(), ' ') + "\n";  // a blank line, which readers skip
        dir.write("history.jsonl", earlier);
        REQUIRE(::chmod(dir.file("history.jsonl").c_str(), 0600) == 0);
    }
    const std::string answer = "We encrypt PHI at rest and in transit and keep audit logs of every access.";
    ehrprep::test::ProcessOptions options;
    options.input = answer + "\n\nsecond answer\n\n";
    options.env = ehrprep::test::ehrprep_environment();
    // ulimit -f counts 512-byte blocks: 8 is 4096 bytes, less than one more line needs.
    auto result = ehrprep::test::run_process(
        {"/bin/sh", "-c", "ulimit -f 8 && exec \"$0\" quiz --ids beginner-3,beginner-2 --data-dir \"$1\"", EHRPREP_BINARY,
         dir.path()},
        options);
    CHECK(result.exit_code == 1);  // not killed by SIGXFSZ
    CHECK(result.err.find("cannot append to " + dir.file("history.jsonl") + ": File too large (this attempt was not saved)") !=
          std::string::npos);
    CHECK(result.err.find("Your answer, to copy before it is lost:\n" + answer + "\n") != std::string::npos);
    CHECK(result.err.find("second answer") != std::string::npos);
    CHECK(result.out.find("[2/2]") != std::string::npos);
    CHECK(result.out.find("Session summary") != std::string::npos);
    CHECK(read_text_file(dir.file("history.jsonl")) == earlier);
}
