#include "ehrprep/report_csv.hpp"

#include <ostream>

#include <fmt/format.h>

#include "ehrprep/report_cells.hpp"
#include "ehrprep/safe_text.hpp"

namespace ehrprep {

std::string csv_cell(std::string_view raw) {
    // A CSV file is as likely to be printed in a terminal as opened in a spreadsheet.
    const std::string text = terminal_safe(raw);
    std::string cell;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell.push_back('\'');
    cell.append(text);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

namespace {

constexpr std::string_view kCsvHeader =
    "session,question,tier,started_at,seconds,outcome,coverage,covered,missed,answer\r\n";

std::string csv_row(const Attempt& a) {
    std::string row;
    for (const std::string& cell :
         {csv_cell(a.session_id), csv_cell(a.question_id), csv_cell(a.tier_id), format_utc(a.started_at),
          fmt::format("{:.1f}", a.seconds), std::string(outcome_name(a.outcome)), fmt::format("{:.4f}", a.coverage),
          csv_cell(join(a.covered, "; ")), csv_cell(join(a.missed, "; ")), csv_cell(a.answer)}) {
        if (!row.empty()) row.push_back(',');
        row += cell;
    }
    row += "\r\n";
    return row;
}

}  // namespace

CsvReportWriter::CsvReportWriter(std::ostream& out) : out_(out) { out_ << kCsvHeader; }

void CsvReportWriter::add(const Attempt& attempt) { out_ << csv_row(attempt); }

void CsvReportWriter::finish() { out_.flush(); }

}  // namespace ehrprep
