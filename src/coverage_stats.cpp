#include "ehrprep/coverage_stats.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ehrprep {

bool is_scored(const Attempt& attempt) {
    return !attempt.retry && (attempt.outcome == Outcome::Answered || attempt.outcome == Outcome::TimedOut);
}

void CoverageStats::add(const Attempt& attempt) {
    ++attempts;
    if (!is_scored(attempt)) return;
    ++scored;
    coverage_sum += attempt.coverage;
    highest = std::max(highest, attempt.coverage);
}

void CoverageStats::merge(const CoverageStats& other) {
    attempts += other.attempts;
    scored += other.scored;
    coverage_sum += other.coverage_sum;
    highest = std::max(highest, other.highest);
}

std::optional<double> CoverageStats::mean() const {
    if (scored == 0) return std::nullopt;
    return coverage_sum / static_cast<double>(scored);
}

std::optional<double> CoverageStats::best() const {
    if (scored == 0) return std::nullopt;
    return highest;
}

std::string percent(std::optional<double> coverage) {
    if (!coverage) return "-";
    return fmt::format("{}%", static_cast<int>(std::lround(*coverage * 100.0)));
}

}  // namespace ehrprep
