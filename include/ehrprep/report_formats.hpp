#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

enum class ReportFormat { Markdown, Csv, Json, Html };

Result<ReportFormat> parse_report_format(std::string_view text);  // md, csv, json, html

// Version of the JSON report's shape, documented in the README; bumped when a field changes
// meaning or goes away, not when one is added.
inline constexpr int kReportSchemaVersion = 1;

// "tier beginner, since 2026-01-01, last 3 sessions", or "none".
std::string describe_filter(const ProgressFilter& filter);

// `ehrprep stats`: aligned columns and bars that fit in `width` columns.
std::string render_stats_text(const ProgressReport& report, const Style& style, std::size_t width, bool unicode);

std::string render_markdown(const ProgressReport& report);
std::string render_json(const ProgressReport& report);
std::string render_html(const ProgressReport& report);

// One RFC 4180 cell: quoted when it holds a comma, quote or line break, and prefixed with an
// apostrophe when a spreadsheet would run it as a formula.
std::string csv_cell(std::string_view text);

// The CSV report: a header, then one row per attempt as the attempts are given, so rows stream
// as the history is read. Which attempts (those of the sessions SessionSelection chose) is the
// caller's to say.
class CsvReportWriter {
public:
    explicit CsvReportWriter(std::ostream& out);

    void add(const Attempt& attempt);
    void finish();

private:
    std::ostream& out_;
};

}  // namespace ehrprep
