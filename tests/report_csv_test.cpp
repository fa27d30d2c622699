#include "ehrprep/report_csv.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::fixed_history;
using ehrprep::test::lines_of;

namespace {

std::string csv_of(const std::vector<Attempt>& attempts) {
    std::ostringstream out;
    CsvReportWriter writer(out);
    for (const Attempt& a : attempts) writer.add(a);
    writer.finish();
    return out.str();
}

}  // namespace

TEST_CASE("CSV quotes per RFC 4180 and neutralises formulas", "[report]") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("a,b") == "\"a,b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_cell("+1") == "'+1");
    CHECK(csv_cell("-2+3") == "'-2+3");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_cell("\tx") == "'\tx");
    // A carriage return is shown rather than kept, as every control character is: it can
    // neither start a formula nor rewrite a line in a terminal.
    CHECK(csv_cell("\rx") == "^Mx");
    CHECK(csv_cell("\x1b]0;title\x07") == "^[]0;title^G");
    CHECK(csv_cell("a=b") == "a=b");

    Attempt a = fixed_history().front();
    a.answer = "=cmd|' /C calc'!A0";
    const std::string csv = csv_of({a});
    const auto lines = lines_of(csv);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "session,question,tier,started_at,seconds,outcome,coverage,covered,missed,answer\r");
    CHECK(lines[1] == "s1,basics-1,basics,2026-03-01T09:00:00Z,95.5,answered,0.5000,A,B,'=cmd|' /C calc'!A0\r");
}
