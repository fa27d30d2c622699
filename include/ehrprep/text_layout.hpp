#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// The widest any paragraph of text is laid out, on a terminal however wide: questions,
// answers as they are typed, feedback and tables all wrap at this measure, so that lines
// stay readable and line up with each other.
inline constexpr std::size_t kTextMeasure = 100;

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

// A column of an aligned table that has to fit a width.
struct TableColumn {
    std::string header;
    std::size_t width = 0;     // the widest cell's, header included
    int drop_order = 0;        // higher drops first when the table is too wide; 0 never drops
    bool right_aligned = false;
    bool shown = true;
};

// Hides columns, highest drop_order first, until the shown ones fit in `width` with two spaces
// between neighbours, and returns the width they then take (more than `width` only when what
// never drops does not fit).
std::size_t fit_columns(std::vector<TableColumn>& columns, std::size_t width);

// The width the shown columns take, two spaces between neighbours.
std::size_t columns_width(const std::vector<TableColumn>& columns);

// One row of the shown columns, each cell cut with an ellipsis or padded to its column's width,
// two spaces between them; `cells` lines up with `columns`.
std::string table_row(const std::vector<TableColumn>& columns, const std::vector<std::string>& cells,
                      bool ascii = false);

}  // namespace ehrprep
