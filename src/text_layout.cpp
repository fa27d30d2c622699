#include "ehrprep/text_layout.hpp"

#include <algorithm>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

// A byte that is not valid UTF-8 takes a column, as the U+FFFD a terminal shows for it does.
int columns_of(char32_t cp) {
    if (cp == 0 || (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

// Length of an ANSI CSI sequence ("\x1b[...m") starting at i, or 0.
std::size_t escape_length(std::string_view s, std::size_t i) {
    if (s[i] != '\x1b' || i + 1 >= s.size() || s[i + 1] != '[') return 0;
    std::size_t k = i + 2;
    while (k < s.size() && !(s[k] >= 0x40 && s[k] <= 0x7E)) ++k;
    return k < s.size() ? k - i + 1 : s.size() - i;
}

struct Taken {
    std::size_t bytes = 0;
    std::size_t columns = 0;
};

// The longest start of `s` that takes at most `width` columns, measured as display_width
// measures: escape sequences are taken whole and take no columns.
Taken take_columns(std::string_view s, std::size_t width) {
    Taken taken;
    while (taken.bytes < s.size()) {
        if (std::size_t esc = escape_length(s, taken.bytes)) {
            taken.bytes += esc;
            continue;
        }
        const Utf8Decoded cp = decode_utf8(s, taken.bytes);
        const auto w = static_cast<std::size_t>(columns_of(cp.code_point));
        if (taken.columns + w > width) break;
        taken.columns += w;
        taken.bytes += cp.length;
    }
    return taken;
}

// Bytes of the first character or escape sequence of `s` (not empty).
std::size_t next_piece_length(std::string_view s) {
    if (std::size_t esc = escape_length(s, 0)) return esc;
    return decode_utf8(s, 0).length;
}

}  // namespace

std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (std::size_t esc = escape_length(s, i)) {
            i += esc;
            continue;
        }
        const Utf8Decoded cp = decode_utf8(s, i);
        width += static_cast<std::size_t>(columns_of(cp.code_point));
        i += cp.length;
    }
    return width;
}

std::string truncate_to_width(std::string_view s, std::size_t width, bool ascii) {
    if (display_width(s) <= width) return std::string(s);
    const std::string_view ellipsis = ascii ? "..." : "…";
    const std::size_t ellipsis_width = ascii ? 3 : 1;
    if (width < ellipsis_width) return std::string(ellipsis.substr(0, width));
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (std::size_t esc = escape_length(s, i)) {
            out.append(s.substr(i, esc));
            i += esc;
            continue;
        }
        const Utf8Decoded cp = decode_utf8(s, i);
        auto w = static_cast<std::size_t>(columns_of(cp.code_point));
        if (used + w > width - ellipsis_width) break;
        out.append(s.substr(i, cp.length));
        used += w;
        i += cp.length;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out.append(ellipsis);
    return out;
}

std::string pad_to_width(std::string_view s, std::size_t width) {
    std::string out(s);
    std::size_t used = display_width(s);
    if (used < width) out.append(width - used, ' ');
    return out;
}

std::vector<std::string> wrap_text(std::string_view text, std::size_t width) {
    if (width == 0) width = 1;
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t newline = text.find('\n', start);
        std::string_view paragraph = text.substr(start, newline == std::string_view::npos ? text.size() - start : newline - start);
        std::string line;
        std::size_t line_width = 0;
        std::size_t i = 0;
        while (i < paragraph.size()) {
            while (i < paragraph.size() && paragraph[i] == ' ') ++i;
            std::size_t end = paragraph.find(' ', i);
            if (end == std::string_view::npos) end = paragraph.size();
            std::string_view word = paragraph.substr(i, end - i);
            i = end;
            if (word.empty()) break;
            std::size_t word_width = display_width(word);
            if (line_width > 0 && line_width + 1 + word_width > width) {
                lines.push_back(std::move(line));
                line.clear();
                line_width = 0;
            }
            // A word wider than the line is split wherever the line is full. The rest's width
            // is kept by subtraction, so a run of a million characters is measured once.
            while (word_width > width) {
                std::size_t used = line_width;
                if (used > 0) {
                    line.push_back(' ');
                    ++used;
                }
                Taken head = take_columns(word, used < width ? width - used : 0);
                if (head.bytes == 0) head = take_columns(word.substr(0, next_piece_length(word)), width + 2);
                line.append(word.substr(0, head.bytes));
                lines.push_back(std::move(line));
                line.clear();
                line_width = 0;
                word.remove_prefix(head.bytes);
                word_width = head.columns < word_width ? word_width - head.columns : 0;
            }
            if (word.empty()) continue;
            if (line_width > 0) {
                line.push_back(' ');
                ++line_width;
            }
            line.append(word);
            line_width += word_width;
        }
        lines.push_back(std::move(line));
        if (newline == std::string_view::npos) break;
        start = newline + 1;
    }
    return lines;
}

std::size_t columns_width(const std::vector<TableColumn>& columns) {
    std::size_t total = 0;
    bool first = true;
    for (const TableColumn& column : columns) {
        if (!column.shown) continue;
        total += column.width + (first ? 0 : 2);
        first = false;
    }
    return total;
}

std::size_t fit_columns(std::vector<TableColumn>& columns, std::size_t width) {
    while (columns_width(columns) > width) {
        auto next = std::max_element(columns.begin(), columns.end(), [](const TableColumn& a, const TableColumn& b) {
            return (a.shown ? a.drop_order : -1) < (b.shown ? b.drop_order : -1);
        });
        if (next == columns.end() || !next->shown || next->drop_order == 0) break;
        next->shown = false;
    }
    return columns_width(columns);
}

std::string table_row(const std::vector<TableColumn>& columns, const std::vector<std::string>& cells, bool ascii) {
    std::string line;
    bool first = true;
    for (std::size_t k = 0; k < columns.size() && k < cells.size(); ++k) {
        const TableColumn& column = columns[k];
        if (!column.shown) continue;
        if (!first) line += "  ";
        first = false;
        const std::string cell = truncate_to_width(cells[k], column.width, ascii);
        const std::string pad(column.width - std::min(column.width, display_width(cell)), ' ');
        line += column.right_aligned ? pad + cell : cell + pad;
    }
    return line;
}

}  // namespace ehrprep
