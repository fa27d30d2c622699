#include <catch2/catch.hpp>

#include <string>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/scorer.hpp"

using namespace ehrprep;

namespace {

// A one-question bank whose concepts exercise each matching rule.
QuestionBank test_bank() {
    auto concept_of = [](std::string label, double weight, std::vector<std::string> any) {
        return Concept{std::move(label), weight, std::move(any)};
    };
    Question q{"q1", "t", "What?", "Hint.", {
        concept_of("encryption", 2, {"encryption"}),
        concept_of("audit logging", 1, {"audit logging"}),
        concept_of("de-identification", 1, {"de-identification"}),
        concept_of("ICD-10", 1, {"ICD-10"}),
        concept_of("HL7", 1, {"HL7"}),
        concept_of("CPT", 1, {"CPT codes"}),
        concept_of("interoperability", 1, {"interoperability"}),
        concept_of("privacy utility", 1, {"privacy utility tradeoff"}),
        concept_of("REST", 1, {"RESTful APIs"}),
    }};
    return QuestionBank("T", {Tier{"t", "T", 60}}, {q});
}

std::vector<std::string> covered(Scorer& scorer, const std::string& answer) {
    std::vector<std::string> labels;
    for (const auto& c : scorer.score(answer, 0).covered) labels.push_back(c.label);
    return labels;
}

bool covers(Scorer& scorer, const std::string& answer, const std::string& label) {
    auto labels = covered(scorer, answer);
    return std::find(labels.begin(), labels.end(), label) != labels.end();
}

using Labels = std::vector<std::string>;

}  // namespace

TEST_CASE("words match by stem", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(covers(scorer, "we encrypt everything", "encryption"));
    CHECK(covers(scorer, "data is encrypted at rest", "encryption"));
    CHECK(covers(scorer, "Audit-logged access, with audit logs kept", "audit logging"));
    CHECK_FALSE(covers(scorer, "we cryptographically sign", "encryption"));
}

TEST_CASE("phrases match in order within a small window, ignoring stop words", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(covers(scorer, "an audit of the logging", "audit logging"));           // stop words skipped
    CHECK(covers(scorer, "audit every access logging", "audit logging"));        // two words between
    CHECK(covers(scorer, "the privacy and utility trade-off", "privacy utility"));  // "trade off" joins
    CHECK_FALSE(covers(scorer, "logging for audit", "audit logging"));           // order matters
    CHECK_FALSE(covers(scorer, "audit trails for every single system access and then logging", "audit logging"));
}

TEST_CASE("hyphenated, spaced and joined forms are the same word", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    for (const char* answer : {"de-identification", "de identification", "deidentification", "De-Identification"}) {
        CAPTURE(answer);
        CHECK(covers(scorer, answer, "de-identification"));
    }
    for (const char* answer : {"ICD-10", "icd 10", "icd10", "ICD10 codes"}) {
        CAPTURE(answer);
        CHECK(covers(scorer, answer, "ICD-10"));
    }
    CHECK_FALSE(covers(scorer, "ICD-9", "ICD-10"));
}

TEST_CASE("typos are forgiven on long words only", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(covers(scorer, "encrpytion", "encryption"));          // transposition
    CHECK(covers(scorer, "encryptoin", "encryption"));
    CHECK(covers(scorer, "interoprability", "interoperability"));  // 16 letters: up to two edits
    CHECK(covers(scorer, "intreoprability", "interoperability"));
    CHECK(covers(scorer, "encrptoin", "encryption"));           // two edits: fine for 9+ letters
    CHECK(covers(scorer, "adit logging", "audit logging"));      // one edit on a 5-letter word
    CHECK_FALSE(covers(scorer, "adut logging", "audit logging"));  // two edits on a 5-letter word
    CHECK_FALSE(covers(scorer, "encrptn", "encryption"));        // three edits
}

TEST_CASE("names written with capitals match as written, plural or not", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(covers(scorer, "a RESTful API", "REST"));
    CHECK(covers(scorer, "restful apis", "REST"));
    CHECK_FALSE(covers(scorer, "the rest of the APIs", "REST"));  // "RESTful" does not stem to "rest"
}

TEST_CASE("acronyms, short words and numbers must match exactly", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(covers(scorer, "we speak HL7", "HL7"));
    CHECK_FALSE(covers(scorer, "we speak HL8", "HL7"));
    CHECK(covers(scorer, "CPT codes", "CPT"));
    CHECK_FALSE(covers(scorer, "CPU codes", "CPT"));
    CHECK_FALSE(covers(scorer, "ICD-11", "ICD-10"));
}

TEST_CASE("coverage is the weight of covered concepts over the total", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    // Total weight 10: encryption weighs 2.
    CoverageResult only_encryption = scorer.score("encryption", 0);
    CHECK(only_encryption.coverage == Approx(2.0 / 10.0));
    CHECK(only_encryption.band == Band::NeedsWork);
    CHECK(only_encryption.missed.size() == 8);
    CoverageResult most = scorer.score(
        "encryption, audit logging, de-identification, ICD-10, HL7 and interoperability", 0);
    CHECK(most.coverage == Approx(7.0 / 10.0));
    CHECK(most.band == Band::Strong);
    CHECK(band_for(0.40) == Band::Partial);
    CHECK(band_for(0.3999) == Band::NeedsWork);
    CHECK(band_for(0.70) == Band::Strong);
    CHECK(band_name(Band::NeedsWork) == "needs work");
}

TEST_CASE("evidence quotes the answer's own words", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CoverageResult result = scorer.score("First, Audit   the Logging. Then encrypting it.", 0);
    REQUIRE(result.covered.size() == 2);
    CHECK(result.covered[0].label == "encryption");  // bank order, not answer order
    CHECK(result.covered[0].matched == "encrypting");
    CHECK(result.covered[1].matched == "Audit   the Logging");
}

TEST_CASE("empty, hostile and huge answers are scored without trouble", "[scorer]") {
    auto scorer = Scorer::compile(test_bank(), "test").value();
    CHECK(scorer.score("", 0).coverage == 0.0);
    CHECK(scorer.score("   \n\t ", 0).coverage == 0.0);
    CHECK(scorer.score("\xFF\xFE encryption \xC3", 0).coverage == Approx(2.0 / 10.0));
    std::string huge;
    for (int i = 0; i < 20000; ++i) huge += "filler words here ";
    huge += "interoperability";
    CoverageResult result = scorer.score(huge, 0);
    CHECK(result.covered.size() == 1);
    CHECK(result.covered[0].matched == "interoperability");
}

TEST_CASE("a phrasing with nothing to match is a bank error naming it", "[scorer]") {
    Question q{"q9", "t", "Q?", "H.", {Concept{"stops", 1, {"the", "fine", " -- "}}}};
    auto scorer = Scorer::compile(QuestionBank("T", {Tier{"t", "T", 60}}, {q}), "b.json");
    REQUIRE_FALSE(scorer);
    CHECK(scorer.error().lines ==
          std::vector<std::string>{"b.json: question 'q9', concept 'stops': phrasing \"the\" has no word to match",
                                   "b.json: question 'q9', concept 'stops': phrasing \" -- \" has no word to match"});
}

TEST_CASE("phrasings that are mostly small words match word for word", "[scorer]") {
    Question q{"q1", "t", "Q?", "H.",
               {Concept{"at rest", 1, {"at rest"}}, Concept{"owned it", 1, {"on me"}}, Concept{"search", 1, {"filter by"}}}};
    auto scorer = Scorer::compile(QuestionBank("T", {Tier{"t", "T", 60}}, {q}), "test").value();
    CHECK(covers(scorer, "data is encrypted at rest", "at rest"));
    CHECK_FALSE(covers(scorer, "the rest of the data", "at rest"));  // "rest" alone is not the point
    CHECK_FALSE(covers(scorer, "at the rest stop", "at rest"));
    CHECK(covers(scorer, "honestly, that one was on me", "owned it"));
    CHECK_FALSE(covers(scorer, "they called me on Monday", "owned it"));
    CHECK(covers(scorer, "you can filter by date", "search"));
    CHECK_FALSE(covers(scorer, "a spam filter", "search"));
}

TEST_CASE("one analysis of an answer scores every question", "[scorer]") {
    const QuestionBank bank = embedded_bank();
    auto scorer = Scorer::compile(bank, "bank").value();
    const std::size_t fhir = *bank.question_index("beginner-2");
    AnalyzedAnswer analysis = scorer.analyze(bank.questions()[fhir].hint);
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        CAPTURE(bank.questions()[i].id);
        CHECK(scorer.score(analysis, i).coverage == scorer.score(bank.questions()[fhir].hint, i).coverage);
    }
}
