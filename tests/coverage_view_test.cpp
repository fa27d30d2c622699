#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ehrprep/coverage_view.hpp"

using namespace ehrprep;

namespace {

CoverageResult sample_result() {
    CoverageResult r;
    r.question_id = "beginner-3";
    r.coverage = 2.0 / 3.0;
    r.band = band_for(r.coverage);
    r.covered = {{"Encryption", 1, "we encrypt data"}, {"Audit logs", 1, "audit trail"}};
    r.missed = {{"Access controls", 1}};
    return r;
}

Question sample_question() {
    return Question{"beginner-3", "beginner", "What is PHI?", "PHI is any individually identifiable health information.", {}};
}

}  // namespace

TEST_CASE("the coverage view shows the score, the evidence, the misses and the hint", "[view]") {
    const std::string text = render_coverage(sample_result(), sample_question(), Style(false), 80, true);
    CHECK(text.find("Coverage  67% ") != std::string::npos);
    CHECK(text.find("partial  (2 of 3 points)") != std::string::npos);
    CHECK(text.find("✓ Encryption") != std::string::npos);
    CHECK(text.find("you said: \"we encrypt data\"") != std::string::npos);
    CHECK(text.find("✗ Access controls") != std::string::npos);
    CHECK(text.find("PHI is any individually identifiable health information.") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("the coverage view falls back to ASCII and colours only when asked", "[view]") {
    const std::string ascii = render_coverage(sample_result(), sample_question(), Style(false), 80, false);
    CHECK(ascii.find("+ Encryption") != std::string::npos);
    CHECK(ascii.find("- Access controls") != std::string::npos);
    CHECK(ascii.find("#############.......") != std::string::npos);
    for (unsigned char c : ascii) CHECK(c < 0x80);
    const std::string coloured = render_coverage(sample_result(), sample_question(), Style(true), 80, true);
    CHECK(coloured.find("\x1b[33m") != std::string::npos);  // partial is yellow
}

TEST_CASE("coverage bars are proportional", "[view]") {
    CHECK(coverage_bar(0.0, 10, false) == "..........");
    CHECK(coverage_bar(0.5, 10, false) == "#####.....");
    CHECK(coverage_bar(1.0, 4, true) == "████");
    CHECK(coverage_bar(0.5, 4, true) == "██░░");
    CHECK(coverage_bar(2.0, 3, false) == "###");
}

TEST_CASE("coverage JSON has the documented shape", "[view]") {
    auto json = nlohmann::json::parse(coverage_json(sample_result()));
    CHECK(json["question"] == "beginner-3");
    CHECK(json["coverage"].get<double>() == Approx(0.6667));
    CHECK(json["band"] == "partial");
    CHECK(json["covered"][0] == nlohmann::json{{"concept", "Encryption"}, {"matched", "we encrypt data"}});
    CHECK(json["missed"] == nlohmann::json::array({"Access controls"}));
}
