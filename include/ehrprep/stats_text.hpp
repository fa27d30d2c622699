#pragma once

#include <cstddef>
#include <string>

#include "ehrprep/progress.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

// `ehrprep stats`: aligned columns and bars that fit in `width` columns, in plain ASCII unless
// `unicode`, with dates as `local` reads them.
std::string render_stats_text(const ProgressReport& report, const LocalTime& local, const Style& style,
                              std::size_t width, bool unicode);

}  // namespace ehrprep
