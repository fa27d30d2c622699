#pragma once

#include <string>

#include "ehrprep/progress.hpp"

namespace ehrprep {

// The Markdown report: summary, per-tier table, the weakest questions with what their latest
// answer missed and their hint, the concepts missed most often and the last sessions, newest
// first, with times as `local` reads them.
std::string render_markdown(const ProgressReport& report, const LocalTime& local);

}  // namespace ehrprep
