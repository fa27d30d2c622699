// Whether a score means something: each hint covers its own question, ranks it first, and a
// set of answers written in candidates' own words orders strong > partial > vague.
#include <catch2/catch.hpp>

#include <fstream>
#include <algorithm>
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

namespace {

struct Probe {
    const char* question;
    const char* answer;
    const char* concept_label;
};

bool credits(Scorer& scorer, const QuestionBank& bank, const Probe& probe) {
    const CoverageResult result = scorer.score(probe.answer, *bank.question_index(probe.question));
    return std::any_of(result.covered.begin(), result.covered.end(),
                       [&](const CoveredConcept& c) { return c.label == probe.concept_label; });
}

}  // namespace

TEST_CASE("narrative answers say the point without the hint's nouns", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    for (const Probe& probe : {
             Probe{"behavioral-3", "I listed which clinics and how many nurses each request would touch.",
                   "Stakeholder impact analysis"},
             Probe{"behavioral-3", "A bad dose could reach a patient, so that went first.", "Clinical safety first"},
             Probe{"behavioral-3", "We shipped it in two drops with a sign-off between them.",
                   "Phased delivery with milestones"},
             Probe{"behavioral-3", "We ranked the requests by patient safety and by effort.", "Clinical safety first"},
             Probe{"behavioral-3", "We ranked the requests by patient safety and by effort.", "Resource assessment"},
             Probe{"scenario-1", "I'd have hospitalists review drafts while we track the omission rate.",
                   "Clinician review feedback loop"},
             Probe{"beginner-3", "PHI is any health information that can be tied to a specific person.",
                   "Individually identifiable health info"},
         }) {
        CAPTURE(probe.question, probe.answer, probe.concept_label);
        CHECK(credits(scorer, bank, probe));
    }
}

TEST_CASE("a common word or the name of the problem alone earns nothing", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    for (const Probe& probe : {
             Probe{"behavioral-4", "I made sure I was listening.", "Respect for clinical expertise"},
             Probe{"behavioral-4", "In the end we had the same goals.", "Common ground on patient safety"},
             Probe{"beginner-5", "It is about protecting patients' privacy.", "Legal and ethical prerequisite"},
             Probe{"advanced-8", "We would use FHIR.", "Data harmonization across EHRs"},
             Probe{"advanced-8", "The real problem is domain shift between the hospitals.", "Domain adaptation techniques"},
             Probe{"beginner-1", "EMR and EHR are the same thing; it is all paper in the end.",
                   "EMR as digital paper chart"},
             Probe{"intermediate-7", "I'm confident the model is good enough.", "Confidence scoring"},
         }) {
        CAPTURE(probe.question, probe.answer, probe.concept_label);
        CHECK_FALSE(credits(scorer, bank, probe));
    }
}

TEST_CASE("an answer that rejects every point, or only lists them, is not scored as strong", "[quality]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    const std::size_t index = *bank.question_index("intermediate-7");
    const CoverageResult rejecting = scorer.score(
        "I'm confident the model is good enough. Human review would slow clinicians down, so we would skip it, and "
        "we would avoid guardrails.",
        index);
    CHECK(rejecting.coverage <= 0.20);
    CHECK(rejecting.rejected.size() >= 2);
    const CoverageResult list = scorer.score("guardrails, human review, confidence, sanity checks, adverse events", index);
    CHECK(list.term_list);
    CHECK(list.band != Band::Strong);
}
