// Text as every stage that reads an answer first sees it: repaired to UTF-8, split into words,
// made safe for a terminal and wrapped to a width.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const ehrprep::Utf8Repair repaired = ehrprep::repair_utf8(bytes);
    if ((repaired.invalid_sequences == 0) != (repaired.text == bytes)) __builtin_trap();

    std::size_t previous_end = 0;
    for (const ehrprep::Token& token : ehrprep::tokenize(repaired.text)) {
        if (token.begin < previous_end || token.begin >= token.end || token.end > repaired.text.size()) __builtin_trap();
        if (token.folded.empty()) __builtin_trap();
        previous_end = token.end;
    }

    const std::string safe = ehrprep::terminal_safe(bytes);
    if (!ehrprep::is_terminal_safe(safe) || ehrprep::terminal_safe(safe) != safe) __builtin_trap();
    if (ehrprep::is_terminal_safe(bytes) != (safe == bytes)) __builtin_trap();

    const std::size_t width = size > 0 ? 1 + data[0] % 100 : 40;
    for (const std::string& line : ehrprep::wrap_text(safe, width)) {
        // Only a single character wider than the line may stand alone on it.
        if (ehrprep::display_width(line) > width && ehrprep::display_width(line) > 2) __builtin_trap();
    }
    return 0;
}
