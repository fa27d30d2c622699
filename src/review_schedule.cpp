#include "ehrprep/review_schedule.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

#include <fmt/format.h>

#include "ehrprep/varint.hpp"

namespace ehrprep {

Result<RatingThresholds> parse_rating_thresholds(std::string_view text) {
    std::vector<double> values;
    std::string item;
    std::istringstream in{std::string(text)};
    while (std::getline(in, item, ',')) {
        try {
            std::size_t used = 0;
            values.push_back(std::stod(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            return Error{fmt::format("--rating-thresholds: '{}' is not a number", item)};
        }
    }
    if (values.size() != 3)
        return Error{fmt::format("--rating-thresholds takes three numbers, HARD,GOOD,EASY (like 0.4,0.6,0.85), not '{}'",
                                 text)};
    auto checked = validate_thresholds(RatingThresholds{values[0], values[1], values[2]});
    if (!checked) return Error{"--rating-thresholds: " + checked.error().message};
    return checked;
}

namespace {

std::optional<Rating> rating_of(Outcome outcome, bool retry, std::optional<Rating> chosen, double coverage,
                                const RatingThresholds& thresholds) {
    // A retry comes straight after the hint: it shows nothing about memory.
    if (outcome == Outcome::Quit || retry) return std::nullopt;
    if (chosen) return chosen;
    // A timeout with nothing typed is recorded with coverage 0, which validated thresholds
    // always rate Again; the answer text is not needed, so summaries of the history suffice.
    if (outcome == Outcome::Skipped) return Rating::Again;
    return rating_from_coverage(coverage, thresholds);
}

}  // namespace

std::optional<Rating> rating_for(const Attempt& attempt, const RatingThresholds& thresholds) {
    return rating_of(attempt.outcome, attempt.retry, attempt.chosen_rating, attempt.coverage, thresholds);
}

std::optional<Rating> rating_for(const AttemptView& attempt, const RatingThresholds& thresholds) {
    return rating_of(attempt.outcome, attempt.retry, attempt.chosen_rating, attempt.coverage, thresholds);
}

ReviewScheduleBuilder::ReviewScheduleBuilder(const QuestionBank& bank, ReviewSettings settings)
    : bank_(&bank), settings_(std::move(settings)), fsrs_(settings_.fsrs), cards_(bank.questions().size()) {}

void ReviewScheduleBuilder::review(std::size_t question, Timestamp time, Rating rating) {
    if (deferred_) {
        const std::int64_t seconds = time.time_since_epoch().count();
        put_varint(deferred_log_, question);
        put_varint(deferred_log_, zigzag_difference(seconds, last_deferred_time_));
        last_deferred_time_ = seconds;
        deferred_log_.push_back(static_cast<std::uint8_t>(rating));
        return;
    }
    cards_[question] = review_card(fsrs_, cards_[question], Review{time, rating});
}

void ReviewScheduleBuilder::add(const Attempt& attempt) {
    const auto question = bank_->exact_question_index(attempt.question_id);
    if (!question) return;
    if (const auto rating = rating_for(attempt, settings_.thresholds)) review(*question, attempt.started_at, *rating);
}

void ReviewScheduleBuilder::add(const AttemptView& attempt) {
    if (const auto question = bank_->exact_question_index(attempt.question_id)) add(*question, attempt);
}

void ReviewScheduleBuilder::add(std::size_t question, const AttemptView& attempt) {
    if (const auto rating = rating_for(attempt, settings_.thresholds)) review(question, attempt.started_at, *rating);
}

ReviewScheduleBuilder ReviewScheduleBuilder::part() const {
    ReviewScheduleBuilder later(*bank_, settings_);
    later.cards_.clear();
    later.deferred_ = true;
    return later;
}

void ReviewScheduleBuilder::merge(ReviewScheduleBuilder&& later) {
    std::int64_t seconds = 0;
    for (auto at = later.deferred_log_.cbegin(); at != later.deferred_log_.cend();) {
        const std::uint64_t question = get_varint(at);
        seconds = add_zigzag_difference(seconds, get_varint(at));
        const auto rating = static_cast<Rating>(*at++);
        review(question, Timestamp{std::chrono::seconds{seconds}}, rating);
    }
    later.deferred_log_ = {};
}

std::vector<QuestionSchedule> ReviewScheduleBuilder::finish(Timestamp now) const {
    std::vector<QuestionSchedule> out;
    out.reserve(bank_->questions().size());
    for (const Question& q : bank_->questions()) {
        QuestionSchedule schedule{q.id, q.tier_id, std::nullopt, 0.0};
        // Keyed by id as the history writes it: a bank that repeats an id shares the card.
        const auto index = bank_->exact_question_index(q.id);
        if (index && cards_[*index]) {
            schedule.card = cards_[*index];
            const double elapsed = days_between(schedule.card->last_review, now);
            schedule.retrievability = fsrs_.retrievability(elapsed, schedule.card->state.stability);
        }
        out.push_back(std::move(schedule));
    }
    return out;
}

std::vector<QuestionSchedule> review_queue(std::vector<QuestionSchedule> schedules, Timestamp now) {
    schedules.erase(std::remove_if(schedules.begin(), schedules.end(), [](const auto& s) { return s.is_new(); }),
                    schedules.end());
    // What is due is ordered by how likely it is to be forgotten by now; what is not due yet,
    // by when it will be.
    std::stable_sort(schedules.begin(), schedules.end(), [&](const QuestionSchedule& a, const QuestionSchedule& b) {
        const bool a_due = a.due_by(now);
        const bool b_due = b.due_by(now);
        if (a_due != b_due) return a_due;
        if (a_due) return a.retrievability < b.retrievability;
        return a.card->due < b.card->due;
    });
    return schedules;
}

}  // namespace ehrprep
