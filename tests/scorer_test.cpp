#include <catch2/catch.hpp>

#include <string>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/word_list.hpp"

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
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "we encrypt everything", "encryption"));
    CHECK(covers(scorer, "data is encrypted at rest", "encryption"));
    CHECK(covers(scorer, "Audit-logged access, with audit logs kept", "audit logging"));
    CHECK_FALSE(covers(scorer, "we cryptographically sign", "encryption"));
}

TEST_CASE("phrases match in order within a small window, ignoring stop words", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "an audit of the logging", "audit logging"));           // stop words skipped
    CHECK(covers(scorer, "audit every access logging", "audit logging"));        // two words between
    CHECK(covers(scorer, "the privacy and utility trade-off", "privacy utility"));  // "trade off" joins
    CHECK_FALSE(covers(scorer, "logging for audit", "audit logging"));           // order matters
    CHECK_FALSE(covers(scorer, "audit trails for every single system access and then logging", "audit logging"));
}

TEST_CASE("hyphenated, spaced and joined forms are the same word", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
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
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "encrpytion", "encryption"));          // transposition
    CHECK(covers(scorer, "encryptoin", "encryption"));
    CHECK(covers(scorer, "interoprability", "interoperability"));  // 16 letters: up to two edits
    CHECK(covers(scorer, "intreoprability", "interoperability"));
    CHECK(covers(scorer, "encrptoin", "encryption"));           // two edits: fine for 9+ letters
    CHECK(covers(scorer, "audt logging", "audit logging"));      // one edit on a 5-letter word
    CHECK_FALSE(covers(scorer, "adut logging", "audit logging"));  // two edits on a 5-letter word
    CHECK_FALSE(covers(scorer, "encrptn", "encryption"));        // three edits
    CHECK_FALSE(covers(scorer, "ncryption", "encryption"));      // a typo keeps its first letter
}

TEST_CASE("names written with capitals match as written, plural or not", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "a RESTful API", "REST"));
    CHECK(covers(scorer, "restful apis", "REST"));
    CHECK_FALSE(covers(scorer, "the rest of the APIs", "REST"));  // "RESTful" does not stem to "rest"
}

TEST_CASE("acronyms, short words and numbers must match exactly", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "we speak HL7", "HL7"));
    CHECK_FALSE(covers(scorer, "we speak HL8", "HL7"));
    CHECK(covers(scorer, "CPT codes", "CPT"));
    CHECK_FALSE(covers(scorer, "CPU codes", "CPT"));
    CHECK_FALSE(covers(scorer, "ICD-11", "ICD-10"));
}

TEST_CASE("coverage is the weight of covered concepts over the total", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    // Total weight 10: encryption weighs 2.
    CoverageResult only_encryption = scorer.score("encryption", 0);
    CHECK(only_encryption.coverage == Approx(2.0 / 10.0));
    CHECK(only_encryption.band == Band::NeedsWork);
    CHECK(only_encryption.missed.size() == 8);
    CoverageResult most = scorer.score(
        "We rely on encryption and audit logging, we apply de-identification, and we code with ICD-10 and HL7 "
        "for interoperability.",
        0);
    CHECK(most.coverage == Approx(7.0 / 10.0));
    CHECK(most.band == Band::Strong);
    CHECK_FALSE(most.term_list);
    CHECK(band_for(0.40) == Band::Partial);
    CHECK(band_for(0.3999) == Band::NeedsWork);
    CHECK(band_for(0.70) == Band::Strong);
    CHECK(band_name(Band::NeedsWork) == "needs work");
}

TEST_CASE("evidence quotes the answer's own words", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CoverageResult result = scorer.score("First, Audit   the Logging. Then encrypting it.", 0);
    REQUIRE(result.covered.size() == 2);
    CHECK(result.covered[0].label == "encryption");  // bank order, not answer order
    CHECK(result.covered[0].matched == "encrypting");
    CHECK(result.covered[1].matched == "Audit   the Logging");
}

TEST_CASE("empty, hostile and huge answers are scored without trouble", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
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
    auto checked = Scorer::check(QuestionBank("T", {Tier{"t", "T", 60}}, {q}), "b.json");
    REQUIRE_FALSE(checked);
    CHECK(checked.error().lines ==
          std::vector<std::string>{"b.json: question 'q9', concept 'stops': phrasing \"the\" has no word to match",
                                   "b.json: question 'q9', concept 'stops': phrasing \" -- \" has no word to match"});
}

TEST_CASE("phrasings that are mostly small words match word for word", "[scorer]") {
    Question q{"q1", "t", "Q?", "H.",
               {Concept{"at rest", 1, {"at rest"}}, Concept{"owned it", 1, {"on me"}},
                Concept{"search", 1, {"filter by"}}}};
    const QuestionBank bank("T", {Tier{"t", "T", 60}}, {q});
    Scorer scorer(bank, "test");
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
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    const std::size_t fhir = *bank.question_index("beginner-2");
    AnalyzedAnswer analysis = scorer.analyze(bank.questions()[fhir].hint);
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        CAPTURE(bank.questions()[i].id);
        CHECK(scorer.score(analysis, i).coverage == scorer.score(bank.questions()[fhir].hint, i).coverage);
    }
}

TEST_CASE("a bare list of terms is flagged and its points count half", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CoverageResult list = scorer.score("encryption, audit logging, de-identification, ICD-10, HL7, interoperability", 0);
    CHECK(list.term_list);
    CHECK(list.covered.size() == 6);
    CHECK(list.coverage == Approx(0.5 * 7.0 / 10.0));
    CHECK(list.band == Band::NeedsWork);
}

TEST_CASE("a point argued against is reported as rejected and earns nothing", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CoverageResult result = scorer.score("Encryption slows everything down, so we would skip it. We keep audit logging.", 0);
    REQUIRE(result.rejected.size() == 1);
    CHECK(result.rejected[0].label == "encryption");
    CHECK(result.rejected[0].matched == "Encryption slows");
    CHECK(result.coverage == Approx(1.0 / 10.0));
    CHECK(result.missed.size() == 7);
    CoverageResult near = scorer.score("we would avoid encryption", 0);
    REQUIRE(near.rejected.size() == 1);
    CHECK(near.rejected[0].matched == "avoid encryption");  // the rejecting word is quoted when close
    CoverageResult belittled = scorer.score("Encryption just means more keys to manage.", 0);
    REQUIRE(belittled.rejected.size() == 1);
    CHECK(belittled.rejected[0].matched == "Encryption just means");
    CoverageResult both = scorer.score("We skip encryption for test data but require encryption in production.", 0);
    CHECK(both.rejected.empty());  // said plainly once is enough
    CHECK(both.covered.size() == 1);
}

TEST_CASE("once two points are argued against, a point said with fault found is argued against too", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    const std::string dismissals = "Encryption is overkill. Audit logging is a waste of disk. ";
    CoverageResult stance = scorer.score(dismissals + "HL7 feeds are slow, so we read the database.", 0);
    CHECK(stance.covered.empty());
    REQUIRE(stance.rejected.size() == 3);
    CHECK(stance.rejected[2].label == "HL7");
    CHECK(stance.rejected[2].matched == "HL7 feeds are slow");  // the fault is quoted with the point
    CHECK(stance.coverage == 0.0);
    // What the same answer says plainly still counts: the stance reaches only sentences that
    // negate or find fault.
    CoverageResult plain = scorer.score(dismissals + "We code diagnoses with ICD-10.", 0);
    CHECK(plain.covered.size() == 1);
    CHECK(plain.rejected.size() == 2);
    // One point argued against is not yet a stance: a candidate who skips one thing and
    // criticises a feed while using it is explaining.
    CoverageResult one = scorer.score("Encryption is overkill. HL7 feeds are slow, so we batch them.", 0);
    CHECK(one.rejected.size() == 1);
    CHECK(one.covered.size() == 1);
    CHECK(one.covered[0].label == "HL7");
}

TEST_CASE("a phrase never spans two sentences", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    CHECK_FALSE(covers(scorer, "We run an audit. Logging is separate.", "audit logging"));
    CHECK(covers(scorer, "We run an audit, logging every access.", "audit logging"));
}

TEST_CASE("a cue says a concept with descriptive words found close together", "[scorer]") {
    Concept phased{"Phased delivery", 2, {"phased delivery"}};
    phased.cues.push_back(Cue{{{"release", "week", "checkpoint", "stage", "go/no-go"}}, 2, 12});
    Concept safety{"Safety first", 1, {"clinical safety"}};
    safety.cues.push_back(Cue{{{"dose", "allergy", "harm", "unsafe"}, {"first", "top", "priority"}}, 0, 12});
    const QuestionBank bank("T", {Tier{"t", "T", 60}},
                            {Question{"q1", "t", "Q?", "H.", {phased, safety}}});
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "We shipped it in weekly releases with a go/no-go call each time.", "Phased delivery"));
    CHECK_FALSE(covers(scorer, "We shipped a release.", "Phased delivery"));  // one entry is not enough
    CHECK_FALSE(covers(scorer, "It was a big release. Every week was busy.", "Phased delivery"));  // two sentences
    CHECK(covers(scorer, "A wrong dose could reach a patient, so that went first.", "Safety first"));
    CHECK_FALSE(covers(scorer, "The dose was wrong.", "Safety first"));  // a set with nothing from it
    CHECK_FALSE(covers(scorer, "The dose field was one of many things we looked at in the order entry form, and "
                               "the billing screens and other administrative tools came first",
                       "Safety first"));  // too far apart
    CoverageResult rejected = scorer.score("We never did weekly releases or stage gates.", 0);
    REQUIRE(rejected.rejected.size() == 1);
    CHECK(rejected.rejected[0].label == "Phased delivery");
}

TEST_CASE("a point about avoiding something is said by negating it", "[scorer]") {
    Concept stigma{"Avoid stigmatizing labels", 1, {"stigmatizing labels"}, {}, true};
    const QuestionBank bank("T", {Tier{"t", "T", 60}}, {Question{"q1", "t", "Q?", "H.", {stigma}}});
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "Make sure it never writes stigmatizing labels into the chart.", "Avoid stigmatizing labels"));
    CHECK(covers(scorer, "Use neutral wording rather than stigmatizing labels.", "Avoid stigmatizing labels"));
    CoverageResult dismissed = scorer.score("Stigmatizing labels don't matter here.", 0);
    CHECK(dismissed.rejected.size() == 1);
}

TEST_CASE("a single common word is not accepted as a phrasing", "[scorer]") {
    Question q{"q1", "t", "Q?", "H.", {Concept{"privacy", 1, {"privacy", "data privacy"}}}};
    auto checked = Scorer::check(QuestionBank("T", {Tier{"t", "T", 60}}, {q}), "b.json");
    REQUIRE_FALSE(checked);
    REQUIRE(checked.error().lines.size() == 1);
    CHECK_THAT(checked.error().lines[0], Catch::Contains("phrasing \"privacy\" is a single common word"));
}

TEST_CASE("scoring compiles only the question it scores, with the same result as compiling all", "[scorer]") {
    const QuestionBank bank = embedded_bank();
    Scorer lazy(bank, "bank");
    Scorer eager(bank, "bank");
    eager.prepare_all();
    const std::size_t index = *bank.question_index("beginner-3");
    const std::string answer = "We encrypt PHI at rest and in transit, log every access, and check integrity with hashes.";
    const CoverageResult from_lazy = lazy.score(answer, index);
    CHECK(lazy.is_prepared(index));
    CHECK_FALSE(lazy.is_prepared(index + 1));
    CHECK(lazy.vocabulary_size() < eager.vocabulary_size());
    const CoverageResult from_eager = eager.score(answer, index);
    CHECK(from_lazy.coverage == from_eager.coverage);
    REQUIRE(from_lazy.covered.size() == from_eager.covered.size());
    for (std::size_t k = 0; k < from_lazy.covered.size(); ++k) CHECK(from_lazy.covered[k].matched == from_eager.covered[k].matched);
}

TEST_CASE("an answer analysed before a question was compiled is read again for it", "[scorer]") {
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    const std::size_t index = *bank.question_index("beginner-3");
    const AnalyzedAnswer early = scorer.analyze("We encrypt PHI at rest and in transit.");
    CHECK(scorer.score(early, index).coverage > 0.0);
}

TEST_CASE("a huge word is scored quickly, without typo matching", "[scorer]") {
    const QuestionBank bank = test_bank();
    Scorer scorer(bank, "test");
    std::string word;
    for (int i = 0; i < 2000; ++i) word += "encryptionx";
    CHECK(scorer.score(word + " audit logging", 0).covered.size() == 1);
}

TEST_CASE("a phrasing that carries its own negation is said as written", "[scorer]") {
    Concept held_out{"Held-out test set", 1, {"notes the model never saw"}};
    const QuestionBank bank("T", {Tier{"t", "T", 60}}, {Question{"q1", "t", "Q?", "H.", {held_out}}});
    Scorer scorer(bank, "test");
    CHECK(covers(scorer, "We test on notes the model never saw in training.", "Held-out test set"));
    CHECK(scorer.score("We don't keep notes the model never saw.", 0).rejected.size() == 1);
}

TEST_CASE("a rejecting word between the words of a phrasing still argues against it", "[scorer]") {
    Concept held_out{"Held-out evaluation", 1, {"held-out evaluation"}};
    Concept lab_codes{"Lab codes", 1, {"loinc labs"}};
    const QuestionBank bank("T", {Tier{"t", "T", 60}}, {Question{"q1", "t", "Q?", "H.", {held_out, lab_codes}}});
    Scorer scorer(bank, "test");
    const CoverageResult doubted = scorer.score("A held-out set is supposedly the gold evaluation, but ours leaked.", 0);
    CHECK(doubted.covered.empty());
    CHECK(doubted.rejected.size() == 1);
    CHECK(scorer.score("Held-out evaluation? We test on the training notes.", 0).covered.empty());
    CHECK(covers(scorer, "We kept a held-out set for the final evaluation.", "Held-out evaluation"));
    CHECK(covers(scorer, "LOINC names the labs so sites agree.", "Lab codes"));
}

TEST_CASE("a correctly spelled English word is never taken for a typo", "[scorer]") {
    Question q{"q1", "t", "Q?", "H.",
               {Concept{"consent", 1, {"consent"}}, Concept{"ontology", 1, {"ontology"}}, Concept{"recall", 1, {"recall"}}}};
    const QuestionBank bank("T", {Tier{"t", "T", 60}}, {q});
    Scorer scorer(bank, "test");
    CHECK_FALSE(covers(scorer, "the content of the note", "consent"));
    CHECK_FALSE(covers(scorer, "an oncology practice", "ontology"));
    CHECK(covers(scorer, "we get consnet first", "consent"));
    CHECK_FALSE(covers(scorer, "a real consent", "recall"));
    CHECK(is_english_word("content"));
    CHECK_FALSE(is_english_word("consnet"));
}
