#pragma once

#include <string>
#include <string_view>

namespace ehrprep {

// Text that did not come from ehrprep itself (a bank's questions and labels, an answer quoted
// back, values read from the history) made safe to print on a terminal: a terminal obeys
// control characters, and an escape sequence can set the window title, clear the screen or
// write the clipboard. Newline and tab are kept. Every other C0 control and DEL is shown in
// caret notation ("^[" for ESC, "^M" for CR), which breaks up any escape sequence it starts;
// C1 controls (U+0080 to U+009F) and bytes that are not UTF-8 become U+FFFD. Everything else
// passes through unchanged.
std::string terminal_safe(std::string_view text);

// Whether terminal_safe() would return `text` unchanged.
bool is_terminal_safe(std::string_view text);

}  // namespace ehrprep
