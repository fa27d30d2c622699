#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ehrprep/app_context.hpp"
#include "ehrprep/review_schedule.hpp"

namespace ehrprep {

struct DueOptions {
    std::vector<std::string> tiers;
    double within_days = 7.0;      // "soon": due within this many days
    std::string format = "text";   // text | json
};

// --retention and --rating-thresholds, checked; prints the error and returns nullopt when bad.
std::optional<ReviewSettings> review_settings(AppContext& ctx, const GlobalOptions& global);

// Every question's schedule from one pass over the history, corrupt lines warned about.
std::optional<std::vector<QuestionSchedule>> load_schedules(AppContext& ctx, const GlobalOptions& global,
                                                            const QuestionBank& bank, const ReviewSettings& settings,
                                                            Timestamp now);

// `ehrprep due`: what to review now and soon, most urgent first.
int run_due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options);

}  // namespace ehrprep
