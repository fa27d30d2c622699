#include "ehrprep/report_formats.hpp"

#include <fmt/format.h>

namespace ehrprep {

Result<ReportFormat> parse_report_format(std::string_view text) {
    if (text == "md" || text == "markdown") return ReportFormat::Markdown;
    if (text == "csv") return ReportFormat::Csv;
    if (text == "json") return ReportFormat::Json;
    if (text == "html") return ReportFormat::Html;
    return Error{fmt::format("--format must be md, csv, json or html, not '{}'", text)};
}

}  // namespace ehrprep
