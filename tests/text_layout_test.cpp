#include <catch2/catch.hpp>

#include "ehrprep/text_layout.hpp"

using namespace ehrprep;
using Lines = std::vector<std::string>;

TEST_CASE("display width counts columns, not bytes", "[layout]") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("café") == 4);
    CHECK(display_width("██░") == 3);
    CHECK(display_width("日本") == 4);
    CHECK(display_width("\x1b[1mbold\x1b[0m") == 4);
    // A byte that is not UTF-8 shows as one replacement character and hides nothing after it.
    CHECK(display_width("a\xe2(b") == 4);
    CHECK(display_width("\xff\xfe") == 2);
}

TEST_CASE("truncation ends with an ellipsis and never splits a character", "[layout]") {
    CHECK(truncate_to_width("hello world", 20) == "hello world");
    CHECK(truncate_to_width("hello world", 8) == "hello w…");
    CHECK(truncate_to_width("hello world", 8, true) == "hello...");
    CHECK(truncate_to_width("ééééé", 3) == "éé…");
    CHECK(display_width(truncate_to_width("日本語のテキスト", 7)) <= 7);
}

TEST_CASE("padding fills to a column count", "[layout]") {
    CHECK(pad_to_width("é", 3) == "é  ");
    CHECK(pad_to_width("long", 2) == "long");
}

TEST_CASE("wrapping breaks at spaces and splits words longer than a line", "[layout]") {
    CHECK(wrap_text("the quick brown fox", 10) == Lines{"the quick", "brown fox"});
    CHECK(wrap_text("abcdefghij klm", 4) == Lines{"abcd", "efgh", "ij", "klm"});
    CHECK(wrap_text("one\n\ntwo", 10) == Lines{"one", "", "two"});
    CHECK(wrap_text("", 10) == Lines{""});
    for (const std::string& line : wrap_text("ééé ééé ééé ééé", 7)) CHECK(display_width(line) <= 7);
}

TEST_CASE("a run of a million characters with no space wraps into full lines with nothing lost", "[layout]") {
    const std::string run(1'000'000, '!');
    const Lines lines = wrap_text("rest " + run + " and in transit", 80);
    REQUIRE(lines.size() == 12'502);
    CHECK(lines.front() == "rest");
    std::size_t bangs = 0;
    for (std::size_t k = 1; k + 1 < lines.size(); ++k) {
        CHECK(lines[k].size() <= 80);
        bangs += static_cast<std::size_t>(std::count(lines[k].begin(), lines[k].end(), '!'));
    }
    CHECK(bangs == run.size());
    CHECK(lines.back() == "and in transit");
}

TEST_CASE("a table drops its least useful columns until it fits", "[layout]") {
    std::vector<TableColumn> columns = {{"ID", 12, 0}, {"DUE", 8, 0}, {"DATE", 10, 2}, {"RECALL", 6, 3, true},
                                        {"STABILITY", 9, 4, true}};
    CHECK(fit_columns(columns, 80) == 12 + 8 + 10 + 6 + 9 + 4 * 2);
    CHECK(columns[4].shown);
    CHECK(fit_columns(columns, 40) == 12 + 8 + 10 + 2 * 2);  // STABILITY, then RECALL made way
    CHECK_FALSE(columns[4].shown);
    CHECK_FALSE(columns[3].shown);
    CHECK(columns[2].shown);
    // What never drops stays, even when it does not fit.
    CHECK(fit_columns(columns, 10) == 12 + 8 + 2);
    CHECK(table_row(columns, {"beginner-1", "now", "Tue 1 Dec", "40%", "2.0 d"}) == "beginner-1    now     ");
}

TEST_CASE("table rows pad, align and cut each cell to its column", "[layout]") {
    const std::vector<TableColumn> columns = {{"TIER", 6, 0}, {"MEAN", 4, 0, true}};
    CHECK(table_row(columns, {"Basics", "7%"}) == "Basics    7%");
    CHECK(table_row(columns, {"Deep Dive", "100%"}) == "Deep…   100%");
    CHECK(table_row(columns, {"Deep Dive", "100%"}, true) == "Dee...  100%");
    CHECK(columns_width(columns) == 12);
}
