#pragma once

#include <string_view>

namespace ehrprep {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed only
// as far as `limit`: any distance above it is reported as limit + 1.
int bounded_edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace ehrprep
