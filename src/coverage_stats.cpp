#include "ehrprep/coverage_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace ehrprep {

namespace {

bool is_scored(Outcome outcome, bool retry) {
    return !retry && (outcome == Outcome::Answered || outcome == Outcome::TimedOut);
}

std::uint64_t units_of(double coverage) {
    return static_cast<std::uint64_t>(std::llround(coverage * CoverageTally::kUnitsPerCoverage));
}

}  // namespace

bool is_scored(const Attempt& attempt) { return is_scored(attempt.outcome, attempt.retry); }

bool is_scored(const AttemptView& attempt) { return is_scored(attempt.outcome, attempt.retry); }

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

void CoverageTally::add(bool is_scored, double coverage) {
    ++attempts;
    if (!is_scored) return;
    ++scored;
    units += units_of(coverage);
    highest = std::max(highest, coverage);
}

void CoverageTally::merge(const CoverageTally& other) {
    attempts += other.attempts;
    scored += other.scored;
    units += other.units;
    highest = std::max(highest, other.highest);
}

namespace {

std::uint32_t saturating_sum(std::uint32_t a, std::uint64_t b) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(a + b, std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace

void SessionTally::add(bool is_scored, double coverage) {
    attempts = saturating_sum(attempts, 1);
    if (!is_scored) return;
    scored = saturating_sum(scored, 1);
    units += units_of(coverage);
    highest = std::max(highest, coverage);
}

void SessionTally::merge(const SessionTally& other) {
    attempts = saturating_sum(attempts, other.attempts);
    scored = saturating_sum(scored, other.scored);
    units += other.units;
    highest = std::max(highest, other.highest);
}

CoverageTally SessionTally::tally() const { return CoverageTally{attempts, scored, units, highest}; }

CoverageStats CoverageTally::stats() const {
    return CoverageStats{attempts, scored, static_cast<double>(units) / kUnitsPerCoverage, highest};
}

std::string percent(std::optional<double> coverage) {
    if (!coverage) return "-";
    return fmt::format("{}%", static_cast<int>(std::lround(*coverage * 100.0)));
}

}  // namespace ehrprep
