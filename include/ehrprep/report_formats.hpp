#pragma once

#include <string_view>

#include "ehrprep/result.hpp"

namespace ehrprep {

// The formats of `ehrprep report`, each rendered by its own module: report_markdown,
// report_csv, report_json and report_html, over the cells of report_cells.
enum class ReportFormat { Markdown, Csv, Json, Html };

Result<ReportFormat> parse_report_format(std::string_view text);  // md, csv, json, html

}  // namespace ehrprep
