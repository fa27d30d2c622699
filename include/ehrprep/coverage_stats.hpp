#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ehrprep/history.hpp"

namespace ehrprep {

// What counts in an average of coverage, wherever one is shown: the end-of-session summary,
// stats, every report format, and so a review session's summary too. Answered and timed-out
// attempts were scored and are averaged. Skipped and quit attempts are listed and counted as
// attempts, but carry no coverage: averaging them in as 0% would make a skip look like a bad
// answer and drag every mean towards zero. A retry, made right after the hint and tips were
// shown, is listed and counted the same way, but not averaged: it would flatter the mean.
bool is_scored(const Attempt& attempt);
bool is_scored(const AttemptView& attempt);

// Attempts and their coverage, summed by that rule.
struct CoverageStats {
    std::uint64_t attempts = 0;
    std::uint64_t scored = 0;
    double coverage_sum = 0.0;
    double highest = 0.0;

    void add(const Attempt& attempt);
    void merge(const CoverageStats& other);

    // Both none when nothing was scored.
    [[nodiscard]] std::optional<double> mean() const;
    [[nodiscard]] std::optional<double> best() const;
};

// Coverage summed exactly, in hundred-millionths: the history keeps four places, so a sum
// does not depend on the order its attempts are added in, and a history read in parts on
// several threads gives the same figures, to the last bit, as one read from start to end.
struct CoverageTally {
    static constexpr double kUnitsPerCoverage = 1e8;

    std::uint64_t attempts = 0;
    std::uint64_t scored = 0;
    std::uint64_t units = 0;
    double highest = 0.0;

    void add(bool is_scored, double coverage);
    void merge(const CoverageTally& other);
    [[nodiscard]] CoverageStats stats() const;
};

// A session's CoverageTally in 24 bytes rather than 32: a long history has hundreds of
// thousands of sessions, and no session has four billion attempts (counts stop there).
struct SessionTally {
    std::uint64_t units = 0;
    double highest = 0.0;
    std::uint32_t attempts = 0;
    std::uint32_t scored = 0;

    void add(bool is_scored, double coverage);
    void merge(const SessionTally& other);
    [[nodiscard]] CoverageTally tally() const;
    [[nodiscard]] CoverageStats stats() const { return tally().stats(); }
};

// A coverage as a whole percentage, "43%", rounded half away from zero; "-" for none. The one
// way every view writes one, so that the same attempt reads the same everywhere.
std::string percent(std::optional<double> coverage);

}  // namespace ehrprep
