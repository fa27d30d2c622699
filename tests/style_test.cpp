#include <catch2/catch.hpp>

#include "ehrprep/style.hpp"

using namespace ehrprep;

TEST_CASE("colour follows --color, the terminal and NO_COLOR", "[style]") {
    CHECK(should_use_color(ColorMode::Auto, true, false));
    CHECK_FALSE(should_use_color(ColorMode::Auto, false, false));
    CHECK_FALSE(should_use_color(ColorMode::Auto, true, true));
    CHECK(should_use_color(ColorMode::Always, false, true));
    CHECK_FALSE(should_use_color(ColorMode::Never, true, false));
}

TEST_CASE("a disabled style writes no escape codes", "[style]") {
    CHECK(Style(false).bold("x") == "x");
    CHECK(Style(true).bold("x") == "\x1b[1mx\x1b[0m");
    CHECK(Style(true).green("") == "");
}

