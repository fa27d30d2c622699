#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed only
// as far as `limit`: any distance above it is reported as limit + 1.
int bounded_edit_distance(std::string_view a, std::string_view b, int limit);

// For "did you mean ...?": the index of the candidate that `typed` is most likely a slip for,
// ignoring case. A slip is at most one edit per three characters typed (one at least, three at
// most); when two candidates are equally close, neither is suggested.
std::optional<std::size_t> closest_match(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace ehrprep
