#pragma once

#include <string>
#include <string_view>


namespace ehrprep {

// --color auto|always|never.
enum class ColorMode { Auto, Always, Never };

// --color always/never win; auto colours a terminal unless NO_COLOR is set to anything non-empty.
bool should_use_color(ColorMode mode, bool output_is_terminal, bool no_color_set);

// Wraps text in ANSI SGR codes when colour is on, and passes it through untouched otherwise,
// so output that is not a terminal never carries escape codes.
class Style {
public:
    explicit Style(bool enabled) : enabled_(enabled) {}

    [[nodiscard]] bool enabled() const { return enabled_; }
    [[nodiscard]] std::string bold(std::string_view text) const { return wrap("1", text); }
    [[nodiscard]] std::string dim(std::string_view text) const { return wrap("2", text); }
    [[nodiscard]] std::string red(std::string_view text) const { return wrap("31", text); }
    [[nodiscard]] std::string green(std::string_view text) const { return wrap("32", text); }
    [[nodiscard]] std::string yellow(std::string_view text) const { return wrap("33", text); }
    [[nodiscard]] std::string cyan(std::string_view text) const { return wrap("36", text); }

private:
    [[nodiscard]] std::string wrap(std::string_view code, std::string_view text) const;
    bool enabled_;
};

}  // namespace ehrprep
