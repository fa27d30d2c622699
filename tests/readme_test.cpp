// The README's examples, run against the built binary so that they cannot drift from it.
//
// A comment before a fenced block says what it is:
//   <!-- example: commands -->     commands, one a line, each of which must succeed with no
//                                  error or warning
//   <!-- example: transcript -->   "$ command" (with its here-document) and exactly what it prints
//   <!-- example: json of the last command above -->
//                                  the JSON the last command before it prints; objects have at
//                                  least the keys shown, and "..." in an array stands for more
//   <!-- options: ehrprep ... --help -->
//                                  a table that lists exactly the options that --help lists
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

using ehrprep::test::ProcessOptions;
using ehrprep::test::ProcessResult;
using ehrprep::test::read_text_file;
using ehrprep::test::run_process;
using ehrprep::test::TempDir;

namespace {

struct Marked {
    std::string kind;                 // what the comment says
    std::vector<std::string> lines;   // of the fenced block or table after it
};

std::vector<std::string> readme_lines() {
    std::istringstream in(read_text_file(EHRPREP_SOURCE_DIR "/README.md"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Every marked block and table, in README order.
std::vector<Marked> marked_blocks() {
    const std::regex marker(R"(^<!-- ((example|options): .*) -->$)");
    const std::vector<std::string> lines = readme_lines();
    std::vector<Marked> found;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        std::smatch match;
        if (!std::regex_match(lines[k], match, marker)) continue;
        Marked block{match[1], {}};
        std::size_t at = k + 1;
        if (match[2] == "options") {
            while (at < lines.size() && lines[at].rfind("|", 0) == 0) block.lines.push_back(lines[at++]);
        } else {
            REQUIRE(at < lines.size());
            REQUIRE(lines[at].rfind("```", 0) == 0);
            for (++at; at < lines.size() && lines[at].rfind("```", 0) != 0; ++at) block.lines.push_back(lines[at]);
        }
        INFO("README.md line " << k + 1 << ": " << lines[k]);
        REQUIRE_FALSE(block.lines.empty());
        found.push_back(std::move(block));
    }
    return found;
}

// Runs a command line as a person would paste it, with ehrprep on the PATH, in `dir`, which
// holds the files the examples name, and with history kept there too.
ProcessResult run_example(const std::string& command, const TempDir& dir) {
    ProcessOptions options;
    options.working_directory = dir.path();
    const std::string binary_dir = std::filesystem::path(EHRPREP_BINARY).parent_path().string();
    options.env = {{"PATH", binary_dir + ":/usr/bin:/bin"},
                   {"HOME", dir.path()},
                   {"EHRPREP_HOME", dir.file("data")},
                   {"LANG", "C.UTF-8"}};
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name)) options.env[name] = value;
    return run_process({"/bin/bash", "-o", "pipefail", "-c", command}, options);
}

// Whether `actual` has the shape of `shown`.
bool has_shape(const nlohmann::json& actual, const nlohmann::json& shown) {
    if (shown.is_object()) {
        if (!actual.is_object()) return false;
        for (const auto& [key, value] : shown.items())
            if (!actual.contains(key) || !has_shape(actual[key], value)) return false;
        return true;
    }
    if (shown.is_array()) {
        if (!actual.is_array()) return false;
        const bool more = !shown.empty() && shown.back() == "...";
        const std::size_t listed = shown.size() - (more ? 1 : 0);
        if (more ? actual.size() < listed : actual.size() != listed) return false;
        for (std::size_t k = 0; k < listed; ++k)
            if (!has_shape(actual[k], shown[k])) return false;
        return true;
    }
    return actual == shown;
}

// The long options of a --help text, or of a README table's first column.
std::set<std::string> long_options(const std::string& text) {
    std::set<std::string> options;
    const std::regex option(R"((^|[^\w-])(--[a-z][a-z-]*))");
    for (std::sregex_iterator it(text.begin(), text.end(), option), end; it != end; ++it) options.insert((*it)[2]);
    options.erase("--help");
    options.erase("--version");
    return options;
}

}  // namespace

TEST_CASE("the README's examples run as shown", "[readme]") {
    TempDir dir;
    dir.write("my-answer.txt", "Ambient documentation drafts the note from the visit; the clinician reviews and signs it.\n");
    dir.write("my-bank.json", read_text_file(EHRPREP_SOURCE_DIR "/data/questions.json"));

    std::size_t commands = 0, transcripts = 0, shapes = 0;
    std::string last_command;
    ProcessResult last_result;
    for (const Marked& block : marked_blocks()) {
        CAPTURE(block.kind);
        if (block.kind == "example: commands") {
            for (const std::string& command : block.lines) {
                if (command.empty()) continue;
                CAPTURE(command);
                last_command = command;
                last_result = run_example(command, dir);
                INFO(last_result.err);
                CHECK(last_result.exit_code == 0);
                CHECK(last_result.err.find("ehrprep: ") == std::string::npos);
                ++commands;
            }
        } else if (block.kind == "example: transcript") {
            REQUIRE(block.lines.front().rfind("$ ", 0) == 0);
            std::string command = block.lines.front().substr(2);
            std::size_t output_from = 1;
            // A here-document ends at its delimiter line.
            std::smatch heredoc;
            if (std::regex_search(command, heredoc, std::regex(R"(<<'?(\w+)'?)"))) {
                const std::string delimiter = heredoc[1];  // before `command` grows
                while (output_from < block.lines.size() && block.lines[output_from] != delimiter)
                    command += "\n" + block.lines[output_from++];
                REQUIRE(output_from < block.lines.size());
                command += "\n" + block.lines[output_from++];
            }
            std::string expected;
            for (std::size_t k = output_from; k < block.lines.size(); ++k) expected += block.lines[k] + "\n";
            CAPTURE(command);
            const ProcessResult result = run_example(command, dir);
            CHECK(result.exit_code == 0);
            CHECK(result.err.empty());
            CHECK(result.out == expected);
            ++transcripts;
        } else if (block.kind == "example: json of the last command above") {
            CAPTURE(last_command, last_result.out);
            std::string shown;
            for (const std::string& line : block.lines) shown += line + "\n";
            REQUIRE(last_result.exit_code == 0);
            CHECK(has_shape(nlohmann::json::parse(last_result.out), nlohmann::json::parse(shown)));
            ++shapes;
        } else {
            CHECK(block.kind.rfind("options: ", 0) == 0);
        }
    }
    // Markers that went missing would leave nothing checked.
    CHECK(commands >= 10);
    CHECK(transcripts >= 1);
    CHECK(shapes >= 1);
    CHECK(std::filesystem::exists(dir.file("data/history.jsonl")));
}

TEST_CASE("the README's option tables list what --help lists", "[readme]") {
    std::size_t tables = 0;
    for (const Marked& block : marked_blocks()) {
        if (block.kind.rfind("options: ", 0) != 0) continue;
        const std::string command = block.kind.substr(std::string("options: ").size());
        CAPTURE(command);
        std::string first_column;
        for (const std::string& row : block.lines) first_column += row.substr(0, row.find(" | ", 1)) + "\n";
        TempDir dir;
        const ProcessResult help = run_example(command, dir);
        REQUIRE(help.exit_code == 0);
        const std::string options_part = help.out.substr(0, help.out.find("Subcommands:"));
        CHECK(long_options(first_column) == long_options(options_part));
        ++tables;
    }
    CHECK(tables >= 2);
}
