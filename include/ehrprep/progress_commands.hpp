#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ehrprep/app_context.hpp"

namespace ehrprep {

struct StatsOptions {
    std::vector<std::string> tiers;
    std::optional<std::string> since;  // YYYY-MM-DD, local calendar
    std::optional<long> last;          // sessions
};

struct ReportOptions {
    StatsOptions filter;
    std::string format = "md";         // md | csv | json | html
    std::optional<std::string> output; // stdout when absent or "-"
    bool no_clobber = false;
    bool with_answers = false;         // md and html: each answer, for a mentor to read
};

// `ehrprep stats`: where the user stands, in the terminal.
int run_stats(AppContext& ctx, const GlobalOptions& global, const StatsOptions& options);

// `ehrprep report`: the same view as a file to keep or hand to a mentor.
int run_report(AppContext& ctx, const GlobalOptions& global, const ReportOptions& options);

}  // namespace ehrprep
