#include <catch2/catch.hpp>

#include "ehrprep/edit_distance.hpp"

#include <optional>
#include <string>
#include <vector>

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

TEST_CASE("a close slip of a name is matched for did-you-mean, ignoring case", "[commands]") {
    using ehrprep::closest_match;
    const std::vector<std::string> ids = {"beginner-1", "beginner-3", "advanced-3", "scenario"};
    CHECK(closest_match("begginer-3", ids) == std::optional<std::size_t>{1});
    CHECK(closest_match("BEGINER-1", ids) == std::optional<std::size_t>{0});
    CHECK(closest_match("senario", ids) == std::optional<std::size_t>{3});
    // Too far off to be a slip, or as close to two names: no guess.
    CHECK_FALSE(closest_match("intermediate-3", ids).has_value());
    CHECK_FALSE(closest_match("beginner-2", ids).has_value());
    CHECK_FALSE(closest_match("xyz", ids).has_value());
    CHECK_FALSE(closest_match("beginner-3", {}).has_value());
}
