#include "ehrprep/review_schedule.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

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

std::optional<Rating> rating_for(const Attempt& attempt, const RatingThresholds& thresholds) {
    // A retry comes straight after the hint: it shows nothing about memory.
    if (attempt.outcome == Outcome::Quit || attempt.retry) return std::nullopt;
    if (attempt.chosen_rating) return attempt.chosen_rating;
    // A timeout with nothing typed is recorded with coverage 0, which validated thresholds
    // always rate Again; the answer text is not needed, so summaries of the history suffice.
    if (attempt.outcome == Outcome::Skipped) return Rating::Again;
    return rating_from_coverage(attempt.coverage, thresholds);
}

void ReviewScheduleBuilder::add(const Attempt& attempt) {
    const auto rating = rating_for(attempt, settings_.thresholds);
    if (!rating) return;
    const Review review{attempt.started_at, *rating};
    if (auto it = cards_.find(attempt.question_id); it != cards_.end()) {
        it->second = review_card(fsrs_, it->second, review);
    } else {
        cards_.emplace(attempt.question_id, review_card(fsrs_, std::nullopt, review));
    }
}

std::vector<QuestionSchedule> ReviewScheduleBuilder::finish(const QuestionBank& bank, Timestamp now) const {
    std::vector<QuestionSchedule> out;
    out.reserve(bank.questions().size());
    for (const Question& q : bank.questions()) {
        QuestionSchedule schedule{q.id, q.tier_id, std::nullopt, 0.0};
        if (auto it = cards_.find(q.id); it != cards_.end()) {
            schedule.card = it->second;
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
