// Whether a score means something: each hint covers its own question, ranks it first, and a
// set of answers written in candidates' own words orders strong > partial > vague.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/tokenizer.hpp"

using namespace ehrprep;

namespace {

nlohmann::json load_paraphrases() {
    std::ifstream in(EHRPREP_SOURCE_DIR "/tests/data/paraphrases.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

std::set<std::string> trigrams(std::string_view text) {
    std::vector<std::string> words;
    for (const Token& t : tokenize(text)) words.push_back(t.folded);
    std::set<std::string> out;
    for (std::size_t i = 0; i + 2 < words.size(); ++i) out.insert(words[i] + " " + words[i + 1] + " " + words[i + 2]);
    return out;
}

}  // namespace

TEST_CASE("every hint scores at least 90% on its own question", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        CAPTURE(bank.questions()[i].id);
        CHECK(scorer.score(bank.questions()[i].hint, i).coverage >= 0.90);
    }
}

TEST_CASE("every question ranks its own hint above every other hint", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    std::vector<AnalyzedAnswer> hints;
    for (const Question& q : bank.questions()) hints.push_back(scorer.analyze(q.hint));
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        const double own = scorer.score(hints[i], i).coverage;
        for (std::size_t j = 0; j < bank.questions().size(); ++j) {
            if (j == i) continue;
            CAPTURE(bank.questions()[i].id, bank.questions()[j].id);
            CHECK(scorer.score(hints[j], i).coverage < own);
        }
    }
}

TEST_CASE("no question's text scores on its own concepts", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        CAPTURE(bank.questions()[i].id, bank.questions()[i].text);
        CHECK(scorer.score(bank.questions()[i].text, i).coverage <= 0.25);
    }
}

TEST_CASE("the paraphrase set covers 25+ questions across all six tiers in candidates' own words", "[quality]") {
    const QuestionBank bank = embedded_bank();
    const nlohmann::json set = load_paraphrases();
    std::set<std::string> tiers;
    for (const auto& entry : set["answers"]) {
        const Question* q = bank.find_question(entry["id"].get<std::string>());
        REQUIRE(q != nullptr);
        tiers.insert(q->tier_id);
        CAPTURE(q->id);
        // No three-word run copied from the hint: the strong answer must paraphrase.
        const auto hint = trigrams(q->hint);
        for (const char* kind : {"strong", "partial"}) {
            for (const std::string& run : trigrams(entry[kind].get<std::string>())) {
                CAPTURE(kind, run);
                CHECK(hint.count(run) == 0);
            }
        }
    }
    CHECK(set["answers"].size() >= 25);
    CHECK(tiers.size() == 6);
}

TEST_CASE("strong answers beat partial ones, which beat vague ones", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    const nlohmann::json set = load_paraphrases();
    for (const auto& entry : set["answers"]) {
        const auto id = entry["id"].get<std::string>();
        const std::size_t index = *bank.question_index(id);
        const double strong = scorer.score(entry["strong"].get<std::string>(), index).coverage;
        const double partial = scorer.score(entry["partial"].get<std::string>(), index).coverage;
        const double vague = scorer.score(entry["vague"].get<std::string>(), index).coverage;
        CAPTURE(id, strong, partial, vague);
        CHECK(strong >= 0.60);
        CHECK(vague <= 0.20);
        CHECK(strong > partial);
        CHECK(partial > vague);
    }
}

TEST_CASE("every example answer covers its own question in a candidate's words", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    auto runs_of_five = [](std::string_view text) {
        std::vector<std::string> words;
        for (const Token& t : tokenize(text)) words.push_back(t.folded);
        std::set<std::string> out;
        for (std::size_t i = 0; i + 4 < words.size(); ++i)
            out.insert(fmt::format("{} {} {} {} {}", words[i], words[i + 1], words[i + 2], words[i + 3], words[i + 4]));
        return out;
    };
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        const Question& q = bank.questions()[i];
        CAPTURE(q.id);
        const CoverageResult result = scorer.score(q.example, i);
        CHECK(result.coverage >= 0.90);
        CHECK(result.rejected.empty());
        CHECK_FALSE(result.term_list);
        const std::size_t words = tokenize(q.example).size();
        CHECK(words >= 120);
        CHECK(words <= 230);  // 120-220 as typed; hyphenated words count as two here
        const auto hint = runs_of_five(q.hint);
        for (const std::string& run : runs_of_five(q.example)) {
            CAPTURE(run);
            CHECK(hint.count(run) == 0);
        }
    }
}
