#pragma once

// FSRS-6 memory model (Free Spaced Repetition Scheduler, open-spaced-repetition project).
// Pure and value-typed: callers pass time in, nothing here reads a clock or global state,
// so the same review log always replays to the same schedule.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "ehrprep/result.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

enum class Rating { Again = 1, Hard = 2, Good = 3, Easy = 4 };

// "Again", "Hard", "Good", "Easy": how a rating is shown.
std::string_view rating_label(Rating rating);

struct FsrsParameters {
    // FSRS-6 defaults as published by open-spaced-repetition (py-fsrs 6.x DEFAULT_PARAMETERS,
    // fsrs-rs 6.x); w20 is the forgetting-curve decay that FSRS-6 added.
    std::array<double, 21> w = {0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
                                0.001,  1.8722, 0.1666, 0.796,  1.4835, 0.0614, 0.2629,
                                1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};
    // Expected to lie in (0, 1); intervals are chosen so recall probability falls to this.
    double desired_retention = 0.9;
    int maximum_interval_days = 36500;
};

// stability: days until recall probability falls to 90%. difficulty: 1 (easy) .. 10 (hard).
struct MemoryState {
    double stability;
    double difficulty;
};

class FsrsScheduler {
public:
    explicit FsrsScheduler(FsrsParameters p = {});

    MemoryState initial_state(Rating rating) const;
    double retrievability(double elapsed_days, double stability) const;
    // Review of a card with state s, elapsed_days since its last review (0 for a same-day
    // review), graded `rating`. Less than one whole day elapsed uses the short-term update.
    MemoryState next_state(const MemoryState& s, double elapsed_days, Rating rating) const;
    int next_interval_days(double stability) const;
    const FsrsParameters& parameters() const;

private:
    double initial_difficulty(Rating rating) const;
    double next_difficulty(double difficulty, Rating rating) const;
    double recall_stability(const MemoryState& s, double r, Rating rating) const;
    double lapse_stability(const MemoryState& s, double r) const;
    double short_term_stability(double stability, Rating rating) const;

    FsrsParameters params_;
    double decay_;
    double factor_;
    // Fixed by the parameters; replaying a long history would otherwise recompute them for
    // every review.
    double easy_difficulty_;     // unclamped D0(Easy), the mean-reversion target
    double interval_per_stability_;
};

// One graded attempt.
struct Review {
    Timestamp time;
    Rating rating;
};

struct CardSchedule {
    MemoryState state;
    Timestamp last_review;
    Timestamp due;
    int reviews;
    int lapses;  // reviews rated Again after the first review
};

// One review applied to a card as its earlier reviews left it (none before its first): the one
// step of replay() and of ReviewScheduleBuilder. Less than a day after the last review, or
// dated before it (another session's line written late), it is a same-day review, and the
// last review keeps its date.
CardSchedule review_card(const FsrsScheduler& scheduler, const std::optional<CardSchedule>& card, const Review& review);

// Replays one question's review log in the order given. nullopt for an empty log.
std::optional<CardSchedule> replay(const FsrsScheduler& scheduler, std::span<const Review> log);

// Answer-coverage cut-offs that turn a score in [0, 1] into a rating.
struct RatingThresholds {
    double hard = 0.40;
    double good = 0.60;
    double easy = 0.85;
};

// coverage < hard -> Again, < good -> Hard, < easy -> Good, otherwise Easy.
Rating rating_from_coverage(double coverage, const RatingThresholds& thresholds);

// Rejects a threshold outside [0, 1], a `hard` of 0, or a set that is not strictly increasing.
Result<RatingThresholds> validate_thresholds(RatingThresholds thresholds);

}  // namespace ehrprep
