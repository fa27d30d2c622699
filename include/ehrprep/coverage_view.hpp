#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/insights.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

// A bar of `width` cells filled in proportion to `fraction` (0..1): block characters, or '#'
// and '.' when the terminal cannot show them.
std::string coverage_bar(double fraction, std::size_t width, bool unicode);

// What a person sees after answering: the percentage and bar, each covered concept with the
// words that said it, each missed concept, each concept argued against with the words that
// did, a note when the answer is a bare list of terms, then the full hint.
// Missed points come with the bank's tip for them, points argued against with why they
// matter; `insights`, when given, adds how the answer was said.
std::string render_coverage(const CoverageResult& result, const Question& question, const Style& style,
                            std::size_t width, bool unicode, const AnswerInsights* insights = nullptr);

// How this answer compares with an earlier one at the same question: "Since last time
// (2026-11-28): 40% → 67%. Newly covered: Audit logging. No longer covered: Encryption."
std::string render_change(std::string_view since, double coverage_before, const std::vector<std::string>& covered_before,
                          const CoverageResult& now, const Style& style, std::size_t width, bool unicode);

// Length and pace, fillers and hedges, overused words, and for stories the STAR check.
std::string render_insights(const AnswerInsights& insights, const Style& style, std::size_t width, bool unicode);

// The JSON shape scripts rely on: {"question", "coverage", "band", "covered", "missed",
// "rejected", "reads_as_list"}.
std::string coverage_json(const CoverageResult& result, const AnswerInsights* insights = nullptr);

}  // namespace ehrprep
