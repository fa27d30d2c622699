#pragma once

#include <span>
#include <string>

#include "ehrprep/answer_log.hpp"
#include "ehrprep/progress.hpp"

namespace ehrprep {

// The HTML report: one file that works offline without JavaScript, with inline CSS and SVG
// charts in which each tier keeps one colour, a light page with a dark mode that prints one
// section per page, and times as `local` reads them. All bank and history text is escaped.
// With `answers` (report --with-answers) it ends with each of those sessions' answers.
std::string render_html(const ProgressReport& report, const LocalTime& local,
                        std::span<const SessionAnswers> answers = {});

}  // namespace ehrprep
