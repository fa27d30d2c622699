#include "ehrprep/fsrs.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ehrprep {

std::string_view rating_label(Rating rating) {
    switch (rating) {
        case Rating::Again: return "Again";
        case Rating::Hard: return "Hard";
        case Rating::Good: return "Good";
        case Rating::Easy: break;
    }
    return "Easy";
}

namespace {

constexpr double kMinDifficulty = 1.0;
constexpr double kMaxDifficulty = 10.0;
// Floor shared with the reference implementations: stability feeds S^-w9 and S^-w19 and is a
// divisor in R(t,S), so it must never reach zero however many lapses pile up.
constexpr double kMinStability = 0.001;

double grade(Rating rating) { return static_cast<double>(static_cast<int>(rating)); }

double clamp_difficulty(double d) { return std::clamp(d, kMinDifficulty, kMaxDifficulty); }

double clamp_stability(double s) { return std::max(s, kMinStability); }

}  // namespace

FsrsScheduler::FsrsScheduler(FsrsParameters p)
    : params_(std::move(p)),
      decay_(-params_.w[20]),
      // Chosen so that R(S, S) = 0.9 whatever the decay: that is what "stability" means.
      factor_(std::pow(0.9, 1.0 / decay_) - 1.0),
      easy_difficulty_(initial_difficulty(Rating::Easy)),
      interval_per_stability_((std::pow(params_.desired_retention, 1.0 / decay_) - 1.0) / factor_) {}

const FsrsParameters& FsrsScheduler::parameters() const { return params_; }

double FsrsScheduler::initial_difficulty(Rating rating) const {
    const auto& w = params_.w;
    return w[4] - std::exp(w[5] * (grade(rating) - 1.0)) + 1.0;
}

MemoryState FsrsScheduler::initial_state(Rating rating) const {
    const auto index = static_cast<std::size_t>(static_cast<int>(rating) - 1);
    return MemoryState{clamp_stability(params_.w[index]),
                       clamp_difficulty(initial_difficulty(rating))};
}

double FsrsScheduler::retrievability(double elapsed_days, double stability) const {
    // A review logged slightly before the previous one (clock skew) is treated as immediate
    // rather than producing a recall probability above 1.
    const double t = std::max(elapsed_days, 0.0);
    return std::pow(1.0 + factor_ * t / clamp_stability(stability), decay_);
}

double FsrsScheduler::next_difficulty(double difficulty, Rating rating) const {
    const auto& w = params_.w;
    const double delta = -w[6] * (grade(rating) - 3.0);
    // Linear damping: the closer D is to 10, the less a Hard/Again can push it further, so a
    // card cannot get stuck at the ceiling after a few bad days.
    const double damped = difficulty + delta * (kMaxDifficulty - difficulty) / 9.0;
    // Mean reversion targets the *unclamped* D0(Easy), as the published model does; clamping
    // it first would change the fitted weights' meaning.
    const double reverted = w[7] * easy_difficulty_ + (1.0 - w[7]) * damped;
    return clamp_difficulty(reverted);
}

double FsrsScheduler::recall_stability(const MemoryState& s, double r, Rating rating) const {
    const auto& w = params_.w;
    const double hard_penalty = rating == Rating::Hard ? w[15] : 1.0;
    const double easy_bonus = rating == Rating::Easy ? w[16] : 1.0;
    const double increase = std::exp(w[8]) * (11.0 - s.difficulty) * std::pow(s.stability, -w[9]) *
                            (std::exp(w[10] * (1.0 - r)) - 1.0) * hard_penalty * easy_bonus;
    return s.stability * (1.0 + increase);
}

double FsrsScheduler::lapse_stability(const MemoryState& s, double r) const {
    const auto& w = params_.w;
    const double long_term = w[11] * std::pow(s.difficulty, -w[12]) *
                             (std::pow(s.stability + 1.0, w[13]) - 1.0) *
                             std::exp(w[14] * (1.0 - r));
    // Forgetting must not leave the card more stable than before. FSRS-6 caps it at S scaled
    // down by the same-day "Again" factor e^(w17*w18), so a lapse on a later day is never
    // milder than a lapse on the same day.
    const double cap = s.stability / std::exp(w[17] * w[18]);
    return std::min(long_term, cap);
}

double FsrsScheduler::short_term_stability(double stability, Rating rating) const {
    const auto& w = params_.w;
    double increase =
        std::exp(w[17] * (grade(rating) - 3.0 + w[18])) * std::pow(stability, -w[19]);
    // A successful same-day review must not reduce stability, even for an already very
    // stable card where S^-w19 drives the factor below 1.
    if (rating == Rating::Good || rating == Rating::Easy) {
        increase = std::max(increase, 1.0);
    }
    return stability * increase;
}

MemoryState FsrsScheduler::next_state(const MemoryState& s, double elapsed_days,
                                      Rating rating) const {
    double stability = 0.0;
    if (std::floor(elapsed_days) <= 0.0) {
        // Same-day reviews say little about long-term forgetting, so FSRS-6 uses a separate,
        // retrievability-free update for them.
        stability = short_term_stability(s.stability, rating);
    } else {
        const double r = retrievability(elapsed_days, s.stability);
        stability = rating == Rating::Again ? lapse_stability(s, r)
                                            : recall_stability(s, r, rating);
    }
    return MemoryState{clamp_stability(stability), next_difficulty(s.difficulty, rating)};
}

int FsrsScheduler::next_interval_days(double stability) const {
    const double ideal = clamp_stability(stability) * interval_per_stability_;
    // Clamp while still a double: a huge stability would overflow the conversion to int.
    double days = std::round(ideal);
    days = std::max(days, 1.0);
    days = std::min(days, static_cast<double>(params_.maximum_interval_days));
    return static_cast<int>(days);
}

CardSchedule review_card(const FsrsScheduler& scheduler, const std::optional<CardSchedule>& card,
                         const Review& review) {
    CardSchedule next{scheduler.initial_state(review.rating), review.time, {}, 1, 0};
    if (card) {
        next = *card;
        // Real-valued so retrievability sees partial days; next_state itself decides
        // same-day vs. long-term from the whole days in it.
        const double elapsed_days = std::max(0.0, days_between(card->last_review, review.time));
        next.state = scheduler.next_state(card->state, elapsed_days, review.rating);
        next.last_review = std::max(card->last_review, review.time);
        ++next.reviews;
        if (review.rating == Rating::Again) {
            ++next.lapses;
        }
    }
    next.due = next.last_review + std::chrono::days{scheduler.next_interval_days(next.state.stability)};
    return next;
}

std::optional<CardSchedule> replay(const FsrsScheduler& scheduler, std::span<const Review> log) {
    std::optional<CardSchedule> card;
    for (const Review& review : log) card = review_card(scheduler, card, review);
    return card;
}

Rating rating_from_coverage(double coverage, const RatingThresholds& thresholds) {
    // NaN compares false with everything and would otherwise fall through to Easy.
    if (std::isnan(coverage) || coverage < thresholds.hard) {
        return Rating::Again;
    }
    if (coverage < thresholds.good) {
        return Rating::Hard;
    }
    if (coverage < thresholds.easy) {
        return Rating::Good;
    }
    return Rating::Easy;
}

Result<RatingThresholds> validate_thresholds(RatingThresholds thresholds) {
    const std::pair<const char*, double> fields[] = {
        {"hard", thresholds.hard}, {"good", thresholds.good}, {"easy", thresholds.easy}};
    for (const auto& [name, value] : fields) {
        // Written as a positive range check so that NaN is rejected too.
        if (!(value >= 0.0 && value <= 1.0)) {
            return Error{std::string("rating threshold '") + name + "' = " +
                         std::to_string(value) + " is outside [0, 1]"};
        }
    }
    // Coverage 0 (a skip, a timeout with nothing typed) must always rate Again.
    if (!(thresholds.hard > 0.0)) {
        return Error{"rating threshold 'hard' must be greater than 0"};
    }
    if (!(thresholds.hard < thresholds.good)) {
        return Error{"rating threshold 'good' must be greater than 'hard'"};
    }
    if (!(thresholds.good < thresholds.easy)) {
        return Error{"rating threshold 'easy' must be greater than 'good'"};
    }
    return thresholds;
}

}  // namespace ehrprep
