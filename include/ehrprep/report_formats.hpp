#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
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

// The CSV report: a header, then one row per attempt in history order. Rows are written as
// attempts arrive, except with `last_sessions`, when only the rows of the sessions that could
// still be among the last ones are held until finish().
class CsvReportWriter {
public:
    CsvReportWriter(std::ostream& out, std::optional<std::size_t> last_sessions);

    // Takes attempts that already passed ProgressFilter::admits.
    void add(const Attempt& attempt);
    void finish();

private:
    struct Held {
        Timestamp started_at{};
        std::uint64_t first_seen = 0;
        std::vector<std::pair<std::uint64_t, std::string>> rows;  // (order in history, row)
    };
    void evict_beyond_limit();

    std::ostream& out_;
    std::optional<std::size_t> last_sessions_;
    std::uint64_t sequence_ = 0;
    std::map<std::string, Held, std::less<>> held_;
    std::set<std::string, std::less<>> dropped_;
};

}  // namespace ehrprep
