// Bytes from a terminal in raw mode, split into reads at arbitrary places, decoded into keys
// and applied to the answer being typed, which is then drawn. No control character or escape
// sequence ever reaches the answer or the screen, however the bytes arrive.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ehrprep/line_editor.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // The first byte sets the width, the second how long each read is.
    const std::size_t width = 10 + data[0] % 90;
    const std::size_t read_size = 1 + data[1] % 16;
    std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

    ehrprep::KeyDecoder decoder;
    ehrprep::LineEditor editor;
    while (!rest.empty()) {
        const std::string_view chunk = rest.substr(0, read_size);
        rest.remove_prefix(chunk.size());
        for (const ehrprep::KeyEvent& key : decoder.feed(chunk)) {
            if (key.kind == ehrprep::KeyKind::Text &&
                (key.text.empty() || key.text.find('\n') != std::string::npos || !ehrprep::is_terminal_safe(key.text)))
                __builtin_trap();
            switch (editor.apply(key)) {
                case ehrprep::EditResult::Submit:
                case ehrprep::EditResult::Skip:
                case ehrprep::EditResult::Quit:
                case ehrprep::EditResult::EndOfInput:
                case ehrprep::EditResult::Interrupt: editor = ehrprep::LineEditor(); break;
                case ehrprep::EditResult::Editing: break;
            }
        }
    }
    if (!ehrprep::is_terminal_safe(editor.text())) __builtin_trap();
    const ehrprep::InputView view = editor.render(width, "> ");
    if (view.rows.empty() || view.cursor_row >= view.rows.size() || view.cursor_column > width) __builtin_trap();
    for (const std::string& row : view.rows)
        if (ehrprep::display_width(row) > width) __builtin_trap();
    return 0;
}
