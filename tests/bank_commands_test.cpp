#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/posix_platform.hpp"
#include "support/process.hpp"

using namespace ehrprep;

namespace {

struct Run {
    int status;
    std::string out;
    std::string err;
};

// Runs a command in-process with captured streams.
template <typename Command>
Run run(Command command, Environment env = {}, std::string input = {}, std::size_t columns = 0) {
    std::ostringstream out, err;
    std::istringstream in(input);
    PosixFileSystem files;
    SystemClock clock;
    AppContext ctx{Console{out, err, in, columns > 0, false, columns}, files, clock, std::move(env)};
    int status = command(ctx);
    return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("list prints an aligned table and can filter by tier", "[commands]") {
    Run all = run([](AppContext& ctx) { return run_list(ctx, {}, {}); });
    CHECK(all.status == kExitOk);
    CHECK(all.out.rfind("TIER                 ID               QUESTION\n", 0) == 0);
    CHECK(std::count(all.out.begin(), all.out.end(), '\n') == 51);
    Run two = run([](AppContext& ctx) { return run_list(ctx, {}, ListOptions{{"BEHAVIORAL", "beginner"}, "text"}); });
    CHECK(std::count(two.out.begin(), two.out.end(), '\n') == 11);
    CHECK(two.out.find("Intermediate") == std::string::npos);
}

TEST_CASE("list fits the terminal width", "[commands]") {
    Run narrow = run([](AppContext& ctx) { return run_list(ctx, {}, {}); }, {{"LANG", "C.UTF-8"}}, {}, 60);
    std::istringstream lines(narrow.out);
    std::string line;
    while (std::getline(lines, line)) {
        CAPTURE(line);
        CHECK(display_width(line) <= 60);
    }
    CHECK(narrow.out.find("…") != std::string::npos);
}

TEST_CASE("list --format json gives every field scripts rely on", "[commands]") {
    Run json_run = run([](AppContext& ctx) { return run_list(ctx, {}, ListOptions{{"workflow"}, "json"}); });
    auto json = nlohmann::json::parse(json_run.out);
    REQUIRE(json.size() == 10);
    for (const auto& q : json) {
        CHECK(q["tier"] == "ai-workflow");
        CHECK(q["tier_name"] == "AI Workflow & Tools");
        for (const char* field : {"id", "question", "hint"}) CHECK(!q[field].get<std::string>().empty());
        CHECK(q["concepts"].size() >= 3);
    }
}

TEST_CASE("an unknown tier is an error listing the valid ones", "[commands]") {
    Run bad = run([](AppContext& ctx) { return run_list(ctx, {}, ListOptions{{"expert"}, "text"}); });
    CHECK(bad.status == kExitBadInput);
    CHECK(bad.out.empty());
    CHECK(bad.err ==
          "ehrprep: unknown tier 'expert' (valid tiers: beginner, intermediate, advanced, scenario, ai-workflow, "
          "behavioral)\n");
}

TEST_CASE("show prints one question, and its hint and key points on request", "[commands]") {
    Run plain = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"beginner-1", false, "text"}); });
    CHECK(plain.out.find("What is the difference between an EMR and an EHR?") != std::string::npos);
    CHECK(plain.out.find("Beginner") != std::string::npos);
    CHECK(plain.out.find("What a great answer covers") == std::string::npos);
    Run hinted = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"BEGINNER-1", true, "text"}); });
    CHECK(hinted.out.find("What a great answer covers") != std::string::npos);
    CHECK(hinted.out.find("digital versions of paper charts") != std::string::npos);
    CHECK(hinted.out.find("Key points") != std::string::npos);
    Run missing = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"nope", false, "text"}); });
    CHECK(missing.status == kExitBadInput);
    CHECK(missing.err == "ehrprep: no question with id 'nope' (see 'ehrprep list')\n");
}

TEST_CASE("show gives the example answer and each point's tip on request", "[commands]") {
    Run example = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"beginner-3", false, "text", true}); });
    CHECK(example.out.find("An example answer") != std::string::npos);
    CHECK(example.out.find("AES-256") != std::string::npos);
    CHECK(example.out.find("What a great answer covers") == std::string::npos);
    Run hinted = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"beginner-3", true, "text"}); });
    CHECK(hinted.out.find("checksums or hashes on records") != std::string::npos);  // a tip under its point
    Run json = run([](AppContext& ctx) { return run_show(ctx, {}, ShowOptions{"beginner-3", false, "json"}); });
    const auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["example"].get<std::string>().find("AES-256") != std::string::npos);
    CHECK_FALSE(parsed.contains("hint"));
    REQUIRE(parsed["concepts"].size() == 6);
    CHECK(parsed["concepts"][0]["label"] == "Individually identifiable health info");
    CHECK(parsed["concepts"][0]["weight"] == 2.0);
    CHECK(parsed["concepts"][0]["tip"].get<std::string>().size() > 20);
    CHECK_FALSE(parsed["concepts"][0].contains("any"));
}

TEST_CASE("score reads the answer from stdin and reports coverage", "[commands]") {
    Run scored = run([](AppContext& ctx) { return run_score(ctx, {}, ScoreOptions{"beginner-3", std::nullopt, "json"}); },
                     {}, "We encrypt PHI at rest and in transit, keep audit logs, and use role-based access control.");
    REQUIRE(scored.status == kExitOk);
    auto json = nlohmann::json::parse(scored.out);
    CHECK(json["question"] == "beginner-3");
    CHECK(json["coverage"].get<double>() > 0.5);
    bool saw_encryption = false;
    for (const auto& c : json["covered"])
        if (c["matched"].get<std::string>().find("encrypt") != std::string::npos) saw_encryption = true;
    CHECK(saw_encryption);

    Run empty = run([](AppContext& ctx) { return run_score(ctx, {}, ScoreOptions{"beginner-3", std::nullopt, "json"}); });
    CHECK(nlohmann::json::parse(empty.out)["coverage"] == 0.0);
    CHECK(nlohmann::json::parse(empty.out)["band"] == "needs work");
}

TEST_CASE("score warns about invalid UTF-8 and still scores", "[commands]") {
    Run scored = run([](AppContext& ctx) { return run_score(ctx, {}, ScoreOptions{"beginner-3", "-", "text"}); }, {},
                     "encryption \xFF\xFE of PHI");
    CHECK(scored.status == kExitOk);
    CHECK(scored.err == "ehrprep: warning: stdin: 2 invalid UTF-8 sequences (first at byte 11) replaced with U+FFFD\n");
    CHECK(scored.out.find("Coverage") != std::string::npos);
}

TEST_CASE("score names a missing answer file", "[commands]") {
    Run missing = run([](AppContext& ctx) {
        return run_score(ctx, {}, ScoreOptions{"beginner-3", std::string("/nonexistent/answer.txt"), "text"});
    });
    CHECK(missing.status == kExitBadInput);
    CHECK(missing.err == "ehrprep: cannot read /nonexistent/answer.txt: No such file or directory\n");
}

TEST_CASE("bank validate lists every problem or summarises a good bank", "[commands]") {
    test::TempDir dir;
    dir.write("bad.json", R"({"schema_version": 1, "title": "T", "tiers": [{"id": "a", "name": "A", "questions": [
        {"id": "a1", "question": "", "hint": "H", "concepts": [{"label": "l", "any": ["x"]}]},
        {"id": "a2", "question": "Q", "hint": "", "concepts": [{"label": "l", "any": ["the"]}]}]}]})");
    const std::string bad_path = dir.file("bad.json");
    Run bad = run([&](AppContext& ctx) { return run_bank_validate(ctx, {}, bad_path); });
    CHECK(bad.status == kExitBadInput);
    CHECK(bad.err == bad_path + ": question 'a1': field 'question' is empty\n" + bad_path +
                         ": question 'a2': field 'hint' is empty\n" + bad_path + ": the bank is not valid\n");

    dir.write("good.json", R"({"schema_version": 1, "title": "Mine", "tiers": [{"id": "a", "name": "A", "questions": [
        {"id": "a1", "question": "Q", "hint": "H", "concepts": [{"label": "l", "any": ["x"]}]}]}]})");
    const std::string good_path = dir.file("good.json");
    Run good = run([&](AppContext& ctx) { return run_bank_validate(ctx, {}, good_path); });
    CHECK(good.status == kExitOk);
    CHECK(good.out == good_path + ": valid \"Mine\": 1 tiers, 1 questions, 1 concepts\n  a                   1 questions  (A)\n");
}
