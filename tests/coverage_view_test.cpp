#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ehrprep/coverage_view.hpp"
#include "ehrprep/text_layout.hpp"

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

TEST_CASE("missed points show their tip and points argued against say why they matter", "[view]") {
    Question question = sample_question();
    question.concepts = {Concept{"Access controls", 1, {"access controls"}, {}, false, "Say who may see what: role-based access."},
                         Concept{"Integrity controls", 1, {"integrity"}, {}, false, "Show data can't change unnoticed."}};
    CoverageResult result = sample_result();
    result.rejected = {{"Integrity controls", 1, "skip integrity checks"}};
    const std::string text = render_coverage(result, question, Style(false), 80, true);
    CHECK(text.find("✗ Access controls\n      Tip: Say who may see what: role-based access.\n") != std::string::npos);
    CHECK(text.find("Argued against") != std::string::npos);
    CHECK(text.find("you said: \"skip integrity checks\"") != std::string::npos);
    CHECK(text.find("Why an interviewer wants it: Show data can't change unnoticed.") != std::string::npos);
    CHECK(text.find("(2 of 4 points)") != std::string::npos);
    CHECK(render_coverage(sample_result(), sample_question(), Style(false), 80, true).find("Tip:") == std::string::npos);
}

TEST_CASE("a bare list is flagged in the view", "[view]") {
    CoverageResult result = sample_result();
    result.term_list = true;
    const std::string text = render_coverage(result, sample_question(), Style(false), 80, true);
    CHECK(text.find("Reads as a list of terms: say how and why.") != std::string::npos);
}

TEST_CASE("insights show length, pace, fillers and the STAR parts", "[view]") {
    InsightRequest request;
    request.story = true;
    request.seconds = 60.0;
    request.limit_seconds = 180.0;
    const AnswerInsights insights = analyze_insights(
        "At my last job we had a noisy alert. Basically I rebuilt the rules with the nurses.", request);
    const std::string text = render_coverage(sample_result(), sample_question(), Style(false), 80, true, &insights);
    CHECK(text.find("How you said it\n  17 words in 1:00 of 3:00 (17 words a minute).") != std::string::npos);
    CHECK(text.find("Fillers and hedges: basically ×1") != std::string::npos);
    CHECK(text.find("✓ Situation \"At my last job we had a noisy alert\"") != std::string::npos);
    CHECK(text.find("✗ Result") != std::string::npos);
    CHECK(text.find("No Result: say what changed, with a number if you can.") != std::string::npos);
    const auto json = nlohmann::json::parse(coverage_json(sample_result(), &insights));
    CHECK(json["insights"]["words"] == 17);
    CHECK(json["insights"]["words_per_minute"] == 17.0);
    CHECK(json["insights"]["fillers"][0]["text"] == "basically");
    CHECK(json["insights"]["star"]["situation"] == "At my last job we had a noisy alert");
    CHECK(json["insights"]["star"]["result"].is_null());
    CHECK(json["rejected"].empty());
    CHECK(json["reads_as_list"] == false);
}

TEST_CASE("the coverage score line fits a narrow terminal with a shorter bar", "[view]") {
    CoverageResult r = sample_result();
    r.coverage = 0.05;
    r.band = band_for(r.coverage);
    r.missed.assign(9, {"Access controls", 1});
    const std::string wide = render_coverage(r, sample_question(), Style(false), 80, true);
    CHECK(wide.find("needs work  (2 of 11 points)\n") != std::string::npos);
    for (std::size_t width : {60, 50, 40}) {
        const std::string text = render_coverage(r, sample_question(), Style(false), width, true);
        INFO(text);
        const std::string first = text.substr(0, text.find('\n'));
        CHECK(display_width(first) <= width);
        CHECK(text.find("(2 of 11 points)") != std::string::npos);
    }
}
