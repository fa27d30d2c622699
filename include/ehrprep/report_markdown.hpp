#pragma once

#include <span>
#include <string>

#include "ehrprep/answer_log.hpp"
#include "ehrprep/progress.hpp"

namespace ehrprep {

// The Markdown report: summary, per-tier table, the weakest questions with what their latest
// answer missed and their hint, the concepts missed most often and the last sessions, newest
// first, with times as `local` reads them; with `answers` (report --with-answers) each of those
// sessions' answers as typed, with the points they covered and missed.
std::string render_markdown(const ProgressReport& report, const LocalTime& local,
                            std::span<const SessionAnswers> answers = {});

}  // namespace ehrprep
