#include <catch2/catch.hpp>

#include "ehrprep/tokenizer.hpp"

using namespace ehrprep;

namespace {

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    for (const Token& t : tokenize(text)) out.push_back(t.folded);
    return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("text folds to lower-case words split at punctuation and hyphens", "[tokenizer]") {
    CHECK(words("De-identification, per HIPAA!") == Words{"de", "identification", "per", "hipaa"});
    CHECK(words("read/write back") == Words{"read", "write", "back"});
    CHECK(words("  \t\n") == Words{});
}

TEST_CASE("digits stay with the letters they touch", "[tokenizer]") {
    CHECK(words("ICD-10 and ICD10, HL7 v2") == Words{"icd", "10", "and", "icd10", "hl7", "v2"});
    auto tokens = tokenize("HL7 FHIR Fhir x");
    CHECK(tokens[0].has_digit);
    CHECK(tokens[0].all_caps);
    CHECK(tokens[1].all_caps);
    CHECK_FALSE(tokens[2].all_caps);
    CHECK_FALSE(tokens[3].all_caps);  // one letter is not an acronym
}

TEST_CASE("apostrophes, straight or curly, are dropped inside a word", "[tokenizer]") {
    CHECK(words("the patient's chart") == Words{"the", "patients", "chart"});
    CHECK(words("the patient\xE2\x80\x99s chart") == Words{"the", "patients", "chart"});
    CHECK(words("'quoted'") == Words{"quoted"});
}

TEST_CASE("accents fold to ASCII and smart punctuation breaks words", "[tokenizer]") {
    CHECK(words("Naïve café résumé") == Words{"naive", "cafe", "resume"});
    CHECK(words("\xE2\x80\x9C" "encryption" "\xE2\x80\x9D" "\xE2\x80\x94" "at rest") == Words{"encryption", "at", "rest"});
    CHECK(words("Łódź straße") == Words{"lodz", "strasse"});
}

TEST_CASE("token offsets quote the original text back", "[tokenizer]") {
    const std::string text = "We use “OAuth 2.0” flows";
    auto tokens = tokenize(text);
    REQUIRE(tokens.size() == 6);  // "2.0" is two numbers
    CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "OAuth");
    CHECK(text.substr(tokens[5].begin, tokens[5].end - tokens[5].begin) == "flows");
}

TEST_CASE("invalid UTF-8 is replaced, never split inside or crashed on", "[tokenizer]") {
    const std::string bad = std::string("encry") + "\xC3" + "ption \xFF\xFE ok \xE2\x82";
    Utf8Repair repaired = repair_utf8(bad);
    CHECK(repaired.invalid_sequences == 4);  // a bad lead byte, two stray bytes, a cut-off sequence
    CHECK(repaired.first_invalid_byte == 5);
    CHECK(repaired.text == "encry\xEF\xBF\xBDption \xEF\xBF\xBD\xEF\xBF\xBD ok \xEF\xBF\xBD");
    CHECK(words(repaired.text) == Words{"encry", "ption", "ok"});
    // Overlong encodings and surrogates are invalid too.
    CHECK(repair_utf8("\xC0\xAF").invalid_sequences == 1);
    CHECK(repair_utf8("\xED\xA0\x80").invalid_sequences == 1);
    CHECK(repair_utf8("valid ✓ text").invalid_sequences == 0);
    // The tokenizer copes with unrepaired bytes as well.
    CHECK(words("a\xFF" "b") == Words{"a", "b"});
}

TEST_CASE("stop words are the small function words only", "[tokenizer]") {
    CHECK(is_stop_word("the"));
    CHECK(is_stop_word("with"));
    CHECK_FALSE(is_stop_word("no"));  // negation carries meaning ("no signs of")
    CHECK_FALSE(is_stop_word("not"));
    CHECK_FALSE(is_stop_word("data"));
}

TEST_CASE("an ellipsis before a lower-case word goes on with the sentence, before a capital it ends it", "[tokenizer]") {
    auto boundary_before = [](std::string_view text, std::string_view word) {
        for (const Token& t : tokenize(text))
            if (t.folded == word) return t.boundary;
        FAIL("'" << word << "' is not in: " << text);
        return Boundary::None;
    };
    CHECK(boundary_before("guardrails, review... the textbook answer", "the") == Boundary::Clause);
    CHECK(boundary_before("guardrails, review\u2026 the textbook answer", "the") == Boundary::Clause);
    CHECK(boundary_before("guardrails, review... The pilot came next.", "the") == Boundary::Sentence);
    CHECK(boundary_before("guardrails, review\u2026 The pilot came next.", "the") == Boundary::Sentence);
    CHECK(boundary_before("guardrails, review. then the pilot", "then") == Boundary::Sentence);
}
