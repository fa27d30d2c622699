#include <catch2/catch.hpp>

#include "ehrprep/term_list.hpp"

using namespace ehrprep;

TEST_CASE("a comma- or line-separated list of terms reads as a list", "[term-list]") {
    CHECK(reads_as_term_list(tokenize("guardrails, human review, confidence, sanity checks, adverse events")));
    CHECK(reads_as_term_list(tokenize("- guardrails\n- HITL review\n- confidence scores\n- incident monitoring")));
    CHECK(reads_as_term_list(tokenize("IRB; consent; LDS agreement; eligibility bias")));
}

TEST_CASE("sentences, and lists of fewer than three terms, do not", "[term-list]") {
    CHECK_FALSE(reads_as_term_list(tokenize("")));
    CHECK_FALSE(reads_as_term_list(tokenize("HIPAA, consent")));
    CHECK_FALSE(reads_as_term_list(tokenize("Discuss federated learning, differential privacy, secure aggregation")));
    CHECK_FALSE(reads_as_term_list(tokenize(
        "I'd add guardrails on the output, have a pharmacist review every draft, and track adverse events.")));
    CHECK_FALSE(reads_as_term_list(tokenize(
        "First, we'd check the confidence of each entity. Then, a rule layer, which is cheap, checks doses.")));
}
