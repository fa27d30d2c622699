#pragma once

#include <string>

#include "ehrprep/progress.hpp"

namespace ehrprep {

// The HTML report: one file that works offline without JavaScript, with inline CSS and SVG
// charts in which each tier keeps one colour, a light page with a dark mode that prints one
// section per page, and times as `local` reads them. All bank and history text is escaped.
std::string render_html(const ProgressReport& report, const LocalTime& local);

}  // namespace ehrprep
