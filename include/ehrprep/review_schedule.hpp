#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/fsrs.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"

namespace ehrprep {

struct ReviewSettings {
    FsrsParameters fsrs;           // desired_retention lives here
    RatingThresholds thresholds;
};

// "0.4,0.6,0.85" into thresholds for Hard, Good and Easy.
Result<RatingThresholds> parse_rating_thresholds(std::string_view text);

// The grade an attempt earns: the one the user chose, if they changed it, else its coverage
// against the thresholds, and Again for a skip or a timeout with nothing typed (coverage 0).
// Quitting rates nothing: the question was left, not answered; nor does a retry, made just
// after the hint was shown.
std::optional<Rating> rating_for(const Attempt& attempt, const RatingThresholds& thresholds);
std::optional<Rating> rating_for(const AttemptView& attempt, const RatingThresholds& thresholds);

// One question's memory as its history leaves it.
struct QuestionSchedule {
    std::string question_id;
    std::string tier_id;
    std::optional<CardSchedule> card;  // none: never attempted, a "new" question
    double retrievability = 0.0;       // estimated chance of recalling it now, 0..1
    [[nodiscard]] bool is_new() const { return !card.has_value(); }
    [[nodiscard]] bool due_by(Timestamp time) const { return card && card->due <= time; }
};

// Whether a question's chance of recall says anything yet. On the day of its last review it is
// close to 100% whatever the answer was, which reads as nonsense next to a question just
// failed; from the next day on it shows how memory is holding up.
inline bool recall_worth_showing(Date last_review, Date today) { return last_review < today; }

// Replays the history one attempt at a time with review_card(), keeping only each question's
// card, so memory grows with questions and not with attempts. Attempts are applied in the
// order given, as replay() applies a log. Only the bank's questions are scheduled: an attempt
// at a question the bank no longer has is passed over.
class ReviewScheduleBuilder {
public:
    ReviewScheduleBuilder(const QuestionBank& bank, ReviewSettings settings);

    void add(const Attempt& attempt);
    void add(const AttemptView& attempt);
    // An attempt at the bank's question `question` (an index into bank.questions()), for a
    // caller that has already looked its id up.
    void add(std::size_t question, const AttemptView& attempt);

    // A builder for a later part of the same history, read on another thread. Each review
    // depends on the ones before it, so a part keeps its reviews until merge() replays them
    // after this builder's own: about four bytes each, since a part of a long history holds
    // hundreds of thousands.
    [[nodiscard]] ReviewScheduleBuilder part() const;
    void merge(ReviewScheduleBuilder&& later);

    // Every question of the bank, in bank order, with retrievability at `now`.
    [[nodiscard]] std::vector<QuestionSchedule> finish(Timestamp now) const;

private:
    void review(std::size_t question, Timestamp time, Rating rating);

    const QuestionBank* bank_;
    ReviewSettings settings_;
    FsrsScheduler fsrs_;
    std::vector<std::optional<CardSchedule>> cards_;  // by bank index
    bool deferred_ = false;
    // A deferred part's reviews in order, each as three varints: the question, the time in
    // seconds after the review before it (zigzag, since a history need not be in time order),
    // and the rating. Grown in blocks: a vector doubling and copying would at times hold three
    // times the log, more than all else stats keeps.
    std::deque<std::uint8_t> deferred_log_;
    std::int64_t last_deferred_time_ = 0;
};

// Most urgent first: questions due by `now` by retrievability (lowest first), then the rest
// by due date. New questions are not in the list.
std::vector<QuestionSchedule> review_queue(std::vector<QuestionSchedule> schedules, Timestamp now);

}  // namespace ehrprep
