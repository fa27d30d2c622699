// The real binary, run as a script or a person would run it: through pipes, in temp dirs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <tuple>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

using ehrprep::test::run_ehrprep;
using ehrprep::test::TempDir;

TEST_CASE("e2e: --version and --help work on every command", "[e2e]") {
    for (std::vector<std::string> prefix : {std::vector<std::string>{}, {"quiz"}, {"list"}, {"show"}, {"score"},
                                            {"bank"}, {"bank", "validate"}, {"stats"}, {"report"}, {"due"}}) {
        CAPTURE(prefix);
        auto args = prefix;
        args.push_back("--version");
        auto version = run_ehrprep(args);
        CHECK(version.exit_code == 0);
        CHECK(version.out.rfind("ehrprep ", 0) == 0);
        args.back() = "--help";
        auto help = run_ehrprep(args);
        CHECK(help.exit_code == 0);
        CHECK(help.out.find("Usage:") != std::string::npos);
    }
}

TEST_CASE("e2e: with no command off a terminal, ehrprep shows the bank's overview", "[e2e]") {
    auto result = run_ehrprep({});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("AI Workflow & Tools") != std::string::npos);
    CHECK(result.out.find("50 questions") != std::string::npos);
    CHECK(result.out.find('\x1b') == std::string::npos);
}

TEST_CASE("e2e: list and show", "[e2e]") {
    auto list = run_ehrprep({"list", "--tier", "Advanced"});
    CHECK(list.exit_code == 0);
    CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 11);
    CHECK(list.out.find('\x1b') == std::string::npos);

    auto json = run_ehrprep({"list", "--format", "json"});
    REQUIRE(json.exit_code == 0);
    CHECK(nlohmann::json::parse(json.out).size() == 50);

    auto show = run_ehrprep({"show", "scenario-1", "--hint"});
    CHECK(show.exit_code == 0);
    CHECK(show.out.find("completeness checklist") != std::string::npos);
}

TEST_CASE("e2e: colour only when asked for, and never under NO_COLOR in auto mode", "[e2e]") {
    CHECK(run_ehrprep({"list", "--color", "always"}).out.find("\x1b[") != std::string::npos);
    CHECK(run_ehrprep({"--color=always", "list"}, {}, {{"NO_COLOR", "1"}}).out.find("\x1b[") != std::string::npos);
    CHECK(run_ehrprep({"list", "--color", "auto"}, {}, {{"NO_COLOR", "1"}}).out.find('\x1b') == std::string::npos);
    auto bad = run_ehrprep({"list", "--color", "sometimes"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--color") != std::string::npos);
}

TEST_CASE("e2e: bad arguments exit with status 2 and say why", "[e2e]") {
    auto unknown = run_ehrprep({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK_FALSE(unknown.err.empty());
    auto no_id = run_ehrprep({"show"});
    CHECK(no_id.exit_code == 2);
    CHECK(no_id.err.find("id") != std::string::npos);
    auto bad_tier = run_ehrprep({"list", "--tier", "expert"});
    CHECK(bad_tier.exit_code == 2);
    CHECK(bad_tier.err.find("valid tiers: beginner") != std::string::npos);
    auto bad_id = run_ehrprep({"score", "-q", "nope"}, "answer");
    CHECK(bad_id.exit_code == 2);
    CHECK(bad_id.err == "ehrprep: no question with id 'nope' (see 'ehrprep list')\n");
    auto slip = run_ehrprep({"show", "begginer-3"});
    CHECK(slip.exit_code == 2);
    CHECK(slip.err == "ehrprep: no question with id 'begginer-3' (did you mean beginner-3?)\n");
    auto tier_slip = run_ehrprep({"quiz", "--tier", "avanced"}, "");
    CHECK(tier_slip.exit_code == 2);
    CHECK(tier_slip.err == "ehrprep: unknown tier 'avanced' (did you mean advanced?)\n");
}

TEST_CASE("e2e: a custom bank is used through --bank and EHRPREP_BANK, and a bad one is refused", "[e2e]") {
    TempDir dir;
    dir.write("bank.json", R"({"schema_version": 1, "title": "Pharmacy", "tiers": [{"id": "core", "name": "Core",
      "questions": [{"id": "p1", "question": "What is a formulary?", "hint": "A list of covered drugs.",
      "concepts": [{"label": "covered drugs", "any": ["covered drugs", "drug list"]}]}]}]})");
    auto via_flag = run_ehrprep({"--bank", dir.file("bank.json"), "list"});
    CHECK(via_flag.exit_code == 0);
    CHECK(via_flag.out.find("What is a formulary?") != std::string::npos);
    auto via_env = run_ehrprep({"show", "p1"}, {}, {{"EHRPREP_BANK", dir.file("bank.json")}});
    CHECK(via_env.exit_code == 0);
    auto scored = run_ehrprep({"--bank", dir.file("bank.json"), "score", "-q", "p1", "--format", "json"},
                              "it is the drug list a plan covers");
    CHECK(nlohmann::json::parse(scored.out)["coverage"] == 1.0);

    dir.write("broken.json", "{\n  \"title\": \"x\"\n  \"tiers\": []\n}\n");
    auto broken = run_ehrprep({"--bank", dir.file("broken.json"), "list"});
    CHECK(broken.exit_code == 2);
    CHECK(broken.err == dir.file("broken.json") +
                            ":3:9: syntax error while parsing object - unexpected string literal; expected '}'\n");
    CHECK(broken.out.empty());
}

TEST_CASE("e2e: bank validate checks a file and reports every problem", "[e2e]") {
    auto good = run_ehrprep({"bank", "validate", EHRPREP_SOURCE_DIR "/data/questions.json"});
    CHECK(good.exit_code == 0);
    CHECK(good.out.find("6 tiers, 50 questions") != std::string::npos);

    TempDir dir;
    dir.write("bad.json", R"({"schema_version": 1, "title": "T", "tiers": [{"id": "a", "name": "A", "questions": [
        {"id": "a1", "question": "Q", "hint": "H", "concepts": []},
        {"id": "a1", "question": "Q", "hint": "H", "concepts": [{"label": "l", "any": []}]}]}]})");
    auto bad = run_ehrprep({"bank", "validate", dir.file("bad.json")});
    CHECK(bad.exit_code == 2);
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 4);
    CHECK(bad.err.find("duplicate id") != std::string::npos);
    auto missing = run_ehrprep({"bank", "validate", dir.file("missing.json")});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("No such file or directory") != std::string::npos);
}

TEST_CASE("e2e: score takes an answer file or stdin and prints the coverage view", "[e2e]") {
    TempDir dir;
    dir.write("answer.txt", "FHIR is an HL7 interoperability standard with RESTful APIs.");
    auto text = run_ehrprep({"score", "--question", "beginner-2", "--answer-file", dir.file("answer.txt")});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("Coverage") != std::string::npos);
    CHECK(text.out.find("What a great answer covers") != std::string::npos);
    auto json = run_ehrprep({"score", "-q", "beginner-2", "--format", "json"}, "FHIR is an interoperability standard");
    auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["coverage"].get<double>() > 0.0);
    CHECK(parsed["missed"].size() > 0);
    auto missing = run_ehrprep({"score", "-q", "beginner-2", "--answer-file", dir.file("nope.txt")});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find(dir.file("nope.txt")) != std::string::npos);
}

TEST_CASE("e2e: numeric options refuse what is out of range, and 'nan', naming the option", "[e2e]") {
    TempDir dir;
    for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"quiz", "-n", "0"}, "--count: must be a whole number from 1 to 1000000, not '0'"},
             {{"quiz", "-n", "2.5"}, "--count: must be a whole number from 1 to 1000000, not '2.5'"},
             {{"quiz", "-n", "1e300"}, "--count: must be a whole number from 1 to 1000000, not '1e300'"},
             {{"quiz", "-n", std::string(300, '9')},
              "--count: must be a whole number from 1 to 1000000, not '" + std::string(40, '9') + "...'"},
             {{"quiz", "--time-limit", "0"},
              "--time-limit: must be a whole number of seconds from 1 to 86400, not '0'"},
             {{"quiz", "--time-limit", "1e300"},
              "--time-limit: must be a whole number of seconds from 1 to 86400, not '1e300'"},
             {{"quiz", "--session-time", "nan"},
              "--session-time: must be a number of minutes above 0, up to 1440, not 'nan'"},
             {{"quiz", "--session-time", "inf"},
              "--session-time: must be a number of minutes above 0, up to 1440, not 'inf'"},
             {{"quiz", "--session-time", "1e12"},
              "--session-time: must be a number of minutes above 0, up to 1440, not '1e12'"},
             {{"quiz", "--review", "--new", "-1"}, "--new: must be a whole number from 0 to 1000000, not '-1'"},
             {{"due", "--within", "nan"}, "--within: must be a number of days from 0 to 36500, not 'nan'"},
             {{"due", "--within", "-1"}, "--within: must be a number of days from 0 to 36500, not '-1'"},
             {{"due", "--within", "1e300"}, "--within: must be a number of days from 0 to 36500, not '1e300'"},
             {{"stats", "--last", "1e300"},
              "--last: must be a whole number of sessions from 1 to 1000000, not '1e300'"},
             {{"--retention", "\x1b]0;x\x07", "due"}, "--retention: must be a number from 0.5 to 0.99, not '^[]0;x^G'"},
             {{"--retention", "nan", "due"}, "--retention: must be a number from 0.5 to 0.99, not 'nan'"},
             {{"--retention", "1", "due"}, "--retention: must be a number from 0.5 to 0.99, not '1'"}}) {
        std::vector<std::string> full = {"--data-dir", dir.path()};
        full.insert(full.end(), args.begin(), args.end());
        auto result = run_ehrprep(full);
        CAPTURE(args, result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.err.rfind(expected + "\n", 0) == 0);
        CHECK(result.out.empty());
    }
    CHECK_FALSE(std::filesystem::exists(dir.file("history.jsonl")));
}

TEST_CASE("e2e: every command exits 1 and says so when its output cannot be written", "[e2e]") {
    TempDir dir;
    dir.write("answer.txt", "We encrypt PHI at rest.\n");
    for (const std::string& command :
         {std::string("list"), std::string("show beginner-1 --hint"), std::string("list --format json"),
          std::string("score -q beginner-3 --answer-file ") + dir.file("answer.txt"), std::string("bank validate ") +
          EHRPREP_SOURCE_DIR + "/data/questions.json", std::string("due"), std::string("stats"),
          std::string("report"), std::string("report --format csv"), std::string("--help"),
          std::string("list --help"), std::string("--version"), std::string("")}) {
        ehrprep::test::ProcessOptions options;
        options.env = ehrprep::test::ehrprep_environment({{"EHRPREP_HOME", dir.path()}});
        auto result = ehrprep::test::run_process(
            {"/bin/sh", "-c", "exec \"$0\" " + command + " > /dev/full", EHRPREP_BINARY}, options);
        CAPTURE(command, result.err);
        CHECK(result.exit_code == 1);
        CHECK(result.err.find("ehrprep: cannot write to standard output\n") != std::string::npos);
    }
}

TEST_CASE("e2e: a bank or answer file that is a FIFO or a device is refused at once", "[e2e]") {
    TempDir dir;
    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    auto fifo_answer = run_ehrprep({"score", "-q", "beginner-3", "--answer-file", dir.file("fifo")});
    CHECK(fifo_answer.exit_code == 2);
    CHECK(fifo_answer.err == "ehrprep: cannot read " + dir.file("fifo") + ": it is a FIFO, not a regular file\n");
    auto zero_answer = run_ehrprep({"score", "-q", "beginner-3", "--answer-file", "/dev/zero"});
    CHECK(zero_answer.exit_code == 2);
    CHECK(zero_answer.err == "ehrprep: cannot read /dev/zero: it is a device, not a regular file\n");
    auto zero_bank = run_ehrprep({"--bank", "/dev/zero", "list"});
    CHECK(zero_bank.exit_code == 2);
    CHECK(zero_bank.err ==
          "ehrprep: cannot read /dev/zero: it is a device, not a regular file (the question bank)\n");
    auto fifo_bank = run_ehrprep({"bank", "validate", dir.file("fifo")});
    CHECK(fifo_bank.exit_code == 2);
    CHECK(fifo_bank.err.find("it is a FIFO, not a regular file") != std::string::npos);
}

TEST_CASE("e2e: score keeps the first 64 KiB of a longer answer and says so", "[e2e]") {
    TempDir dir;
    std::string long_answer = "We encrypt PHI at rest and in transit. ";
    while (long_answer.size() < 200'000) long_answer += "And then some more words about nothing in particular. ";
    dir.write("long.txt", long_answer);
    for (const auto& [args, input, source] : std::vector<std::tuple<std::vector<std::string>, std::string, std::string>>{
             {{"score", "-q", "beginner-3", "--format", "json"}, long_answer, "stdin"},
             {{"score", "-q", "beginner-3", "--format", "json", "--answer-file", dir.file("long.txt")}, "",
              dir.file("long.txt")}}) {
        auto result = run_ehrprep(args, input);
        CAPTURE(source);
        CHECK(result.exit_code == 0);
        CHECK(result.err == "ehrprep: warning: " + source +
                                ": the answer is longer than 64 KiB: only the first 64 KiB is scored\n");
        CHECK(nlohmann::json::parse(result.out)["insights"]["words"].get<int>() < 12'000);
    }
}
