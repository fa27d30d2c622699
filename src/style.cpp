#include "ehrprep/style.hpp"

#include <fmt/format.h>

namespace ehrprep {

bool should_use_color(ColorMode mode, bool output_is_terminal, bool no_color_set) {
    switch (mode) {
        case ColorMode::Always: return true;
        case ColorMode::Never: return false;
        case ColorMode::Auto: break;
    }
    return output_is_terminal && !no_color_set;
}

std::string Style::wrap(std::string_view code, std::string_view text) const {
    if (!enabled_ || text.empty()) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace ehrprep
