#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ehrprep/app_context.hpp"

namespace ehrprep {

struct ListOptions {
    std::vector<std::string> tiers;
    std::string format = "text";  // text | json
};

struct ShowOptions {
    std::string id;
    bool hint = false;
    std::string format = "text";  // text | json
    bool example = false;  // also print the bank's example answer
};

struct ScoreOptions {
    std::string question_id;
    std::optional<std::string> answer_file;  // stdin when absent or "-"
    std::string format = "text";
};

// `ehrprep` with nothing to do on a terminal: what the bank holds and how to start.
int run_overview(AppContext& ctx, const GlobalOptions& global);
int run_list(AppContext& ctx, const GlobalOptions& global, const ListOptions& options);
int run_show(AppContext& ctx, const GlobalOptions& global, const ShowOptions& options);
int run_bank_validate(AppContext& ctx, const GlobalOptions& global, const std::string& path);
int run_score(AppContext& ctx, const GlobalOptions& global, const ScoreOptions& options);

}  // namespace ehrprep
