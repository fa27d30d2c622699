#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ehrprep/app_context.hpp"

namespace ehrprep {

struct DueOptions {
    std::vector<std::string> tiers;
    double within_days = 7.0;      // "soon": due within this many days
    std::string format = "text";   // text | json
};

// `ehrprep due`: what to review now and soon, most urgent first.
int run_due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options);

}  // namespace ehrprep
