#pragma once

#include <string>

#include "ehrprep/progress.hpp"

namespace ehrprep {

// The HTML report: one file that works offline without JavaScript, with inline CSS and SVG
// charts, on a light page that prints one section per page. All bank and history text is
// escaped.
std::string render_html(const ProgressReport& report);

}  // namespace ehrprep
