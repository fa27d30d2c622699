#include <catch2/catch.hpp>

#include "ehrprep/edit_distance.hpp"

using ehrprep::bounded_edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and transpositions", "[scorer]") {
    CHECK(bounded_edit_distance("encryption", "encryption", 2) == 0);
    CHECK(bounded_edit_distance("encryption", "encrytion", 2) == 1);   // deletion
    CHECK(bounded_edit_distance("encryption", "encryptiion", 2) == 1); // insertion
    CHECK(bounded_edit_distance("encryption", "encryptoin", 2) == 1);  // transposition
    CHECK(bounded_edit_distance("audit", "audut", 2) == 1);            // substitution
    CHECK(bounded_edit_distance("interoperability", "interoprability", 2) == 1);
    CHECK(bounded_edit_distance("kitten", "sitting", 5) == 3);
}

TEST_CASE("edit distance stops counting past the limit", "[scorer]") {
    CHECK(bounded_edit_distance("cpt", "cpu", 0) == 1);
    CHECK(bounded_edit_distance("anonymization", "pseudonymization", 2) == 3);
    CHECK(bounded_edit_distance("a", "abcdef", 2) == 3);
    CHECK(bounded_edit_distance("", "ab", 2) == 2);
}
