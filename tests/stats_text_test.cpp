#include "ehrprep/stats_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "ehrprep/text_layout.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::lines_of;
using ehrprep::test::fixed_local;
using ehrprep::test::progress_bank;

TEST_CASE("stats fits the width it is given", "[stats]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    for (std::size_t width : {30u, 40u, 50u, 64u, 80u, 100u}) {
        for (bool unicode : {true, false}) {
            const std::string text = render_stats_text(r, fixed_local(), Style(true), width, unicode);
            for (const std::string& line : lines_of(text)) {
                INFO("width " << width << ": " << line);
                CHECK(display_width(line) <= width);
            }
        }
    }
    // The essentials survive narrowing: every tier and its mean.
    const std::string narrow = render_stats_text(r, fixed_local(), Style(false), 40, true);
    CHECK(narrow.find("Deep Dive") != std::string::npos);
    CHECK(narrow.find("43%") != std::string::npos);
    CHECK(narrow.find("█") == std::string::npos);  // no room for bars
    CHECK(render_stats_text(r, fixed_local(), Style(false), 80, true).find("█") != std::string::npos);
}

TEST_CASE("stats without a UTF-8 locale is plain ASCII, and uncoloured without a style", "[stats]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    const std::string ascii = render_stats_text(r, fixed_local(), Style(false), 80, false);
    CHECK(std::all_of(ascii.begin(), ascii.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    CHECK(ascii.find('#') != std::string::npos);
    CHECK(ascii.find('\x1b') == std::string::npos);
    CHECK(render_stats_text(r, fixed_local(), Style(true), 80, true).find("\x1b[") != std::string::npos);
}

TEST_CASE("stats says when practice was last, in days, before or after today", "[stats]") {
    auto last_practised = [](const char* today) {
        const ProgressReport r = build(progress_bank(), fixed_history(), {}, today);
        const std::string text = render_stats_text(r, fixed_local(), Style(false), 100, true);
        const std::size_t at = text.find("last practised");
        REQUIRE(at != std::string::npos);
        return text.substr(at, text.find('\n', at) - at);
    };
    CHECK(last_practised("2026-03-10") == "last practised 2026-03-10 (today)");
    CHECK(last_practised("2026-03-11") == "last practised 2026-03-10 (yesterday)");
    CHECK(last_practised("2026-03-15") == "last practised 2026-03-10 (5 days ago)");
    // A history dated after today (a clock set wrong when it was written) is not "-2 days ago".
    CHECK(last_practised("2026-03-08") == "last practised 2026-03-10 (in 2 days)");
}
