#include "ehrprep/report_formats.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "ehrprep/report_csv.hpp"
#include "ehrprep/report_html.hpp"
#include "ehrprep/report_json.hpp"
#include "ehrprep/report_markdown.hpp"
#include "ehrprep/stats_text.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::check_golden;
using ehrprep::test::fixed_history;
using ehrprep::test::fixed_local;
using ehrprep::test::progress_bank;

namespace {

std::string csv_of(const std::vector<Attempt>& attempts) {
    std::ostringstream out;
    CsvReportWriter writer(out);
    for (const Attempt& a : attempts) writer.add(a);
    writer.finish();
    return out.str();
}

}  // namespace

TEST_CASE("each format matches its golden file on the fixed history", "[report]") {
    const QuestionBank bank = progress_bank();
    const ProgressReport r = build(bank, fixed_history());
    check_golden("report.md", render_markdown(r, fixed_local()));
    check_golden("report.json", render_json(r));
    check_golden("report.html", render_html(r, fixed_local()));
    check_golden("report.csv", csv_of(fixed_history()));
    check_golden("stats.txt", render_stats_text(r, fixed_local(), Style(false), 80, true));
    check_golden("stats-ascii.txt", render_stats_text(r, fixed_local(), Style(false), 80, false));

    ProgressFilter filter;
    filter.tiers = {"deep"};
    filter.last_sessions = 3;
    check_golden("report-filtered.md", render_markdown(build(bank, fixed_history(), filter), fixed_local()));
    check_golden("report-empty.json", render_json(build(bank, {})));
}

TEST_CASE("report formats are named md (or markdown), csv, json and html", "[report]") {
    CHECK(parse_report_format("md").value() == ReportFormat::Markdown);
    CHECK(parse_report_format("markdown").value() == ReportFormat::Markdown);
    CHECK(parse_report_format("csv").value() == ReportFormat::Csv);
    CHECK(parse_report_format("json").value() == ReportFormat::Json);
    CHECK(parse_report_format("html").value() == ReportFormat::Html);
    CHECK(parse_report_format("pdf").error().message == "--format must be md, csv, json or html, not 'pdf'");
}
