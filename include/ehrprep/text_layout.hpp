#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// Columns a UTF-8 string takes on a terminal: one per code point, two for East Asian wide
// characters and emoji, none for combining marks and ANSI escape sequences.
std::size_t display_width(std::string_view utf8);

// Cuts text to at most `width` columns, ending with "…" (or "..." when `ascii`) if it was cut.
std::string truncate_to_width(std::string_view utf8, std::size_t width, bool ascii = false);

// Pads with spaces on the right to `width` columns.
std::string pad_to_width(std::string_view utf8, std::size_t width);

// Breaks text into lines of at most `width` columns at spaces; a word longer than a line is
// split. Existing newlines are kept.
std::vector<std::string> wrap_text(std::string_view utf8, std::size_t width);

}  // namespace ehrprep
