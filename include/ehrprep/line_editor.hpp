#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/answer_source.hpp"

namespace ehrprep {

enum class KeyKind {
    Text,        // printable characters, whole UTF-8 code points only
    Enter,       // CR, LF or CR LF
    Backspace,   // DEL (0x7F) or BS (0x08)
    ClearLine,   // Ctrl-U
    DeleteWord,  // Ctrl-W
    EndOfInput,  // Ctrl-D
    Interrupt,   // Ctrl-C
};

struct KeyEvent {
    KeyKind kind = KeyKind::Text;
    std::string text;     // the characters, for Text
    bool pasted = false;  // arrived inside a bracketed paste, so it is not a keystroke
    bool operator==(const KeyEvent&) const = default;
};

// Turns bytes read from a terminal in raw mode into key events. Reads may end in the middle
// of a UTF-8 character or an escape sequence; the rest is kept until the next feed. Escape
// sequences (arrows, Home/End, function keys) and other control characters produce nothing,
// so they never end up in an answer.
class KeyDecoder {
public:
    std::vector<KeyEvent> feed(std::string_view bytes);

private:
    std::string pending_;
    bool in_paste_ = false;
    bool after_cr_ = false;  // so that CR LF counts as one Enter, not a blank line that submits
};

// How the quiz should react to a key.
enum class EditResult { Editing, Submit, Skip, Quit, EndOfInput, Interrupt };

// The rows an answer takes on screen, and where the cursor goes: after the last character.
struct InputView {
    std::vector<std::string> rows;
    std::size_t cursor_row = 0;
    std::size_t cursor_column = 0;
    bool operator==(const InputView&) const = default;
};

// A multi-line answer being typed. Editing happens at the end only, which is all a spoken
// style answer needs and keeps what is on screen in step with what gets submitted.
class LineEditor {
public:
    // Applies a key with the quiz's rules: Enter on a blank line submits once something was
    // typed, ":skip" or ":quit" alone on a line skips or quits, Ctrl-D submits (or ends input
    // when nothing was typed), Ctrl-C interrupts. Pasted newlines only break lines.
    EditResult apply(const KeyEvent& key);

    // `text` must not contain newlines: those are new_line(). Past kMaxAnswerBytes in all,
    // text is dropped (whole characters only) and truncated() says so.
    void insert(std::string_view text);
    void new_line();
    // Removes the last code point, or joins with the previous line at the start of one.
    void backspace();
    void clear_line();
    // Removes the spaces before the cursor and the word before them, on the current line.
    void delete_word();

    // Every line joined with '\n', the unfinished one too.
    [[nodiscard]] std::string text() const;
    // text() without trailing blank lines and spaces: what gets submitted.
    [[nodiscard]] std::string answer() const;
    // answer() leaving out the current line, which holds a command such as ":skip".
    [[nodiscard]] std::string answer_before_current_line() const;
    // Nothing but whitespace has been typed.
    [[nodiscard]] bool blank() const;
    [[nodiscard]] bool current_line_empty() const { return lines_.back().empty(); }
    [[nodiscard]] const std::string& current_line() const { return lines_.back(); }
    // More was typed or pasted than an answer keeps.
    [[nodiscard]] bool truncated() const { return truncated_; }

    // Rows of at most `width` columns: the first starts with `prompt`, the rest with as many
    // spaces, and each line is wrapped at spaces. The cursor never sits past the last column:
    // when the last row is full it goes to the start of an extra row.
    [[nodiscard]] InputView render(std::size_t width, std::string_view prompt) const;

private:
    std::vector<std::string> lines_{std::string()};
    std::size_t bytes_ = 0;  // of text(), kept as it changes rather than summed on each key
    bool truncated_ = false;
};

}  // namespace ehrprep
