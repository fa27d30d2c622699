#include "ehrprep/quiz_command.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/command_support.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/question_selection.hpp"
#include "ehrprep/quiz_session.hpp"
#include "ehrprep/report_cells.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {
namespace {

// The questions a review session asks, from every question's schedule at `now`: those due,
// least likely to be recalled first and at most --max-reviews of them, then up to --new never
// practised. Empty (after saying why) when there is nothing to review.
std::vector<std::size_t> review_selection(AppContext& ctx, const GlobalOptions& global, const QuestionBank& bank,
                                          const SelectionOptions& selection, const QuizOptions& options,
                                          const std::vector<QuestionSchedule>& schedules, Timestamp now) {
    auto in_tiers = [&](const QuestionSchedule& s) { return tier_selected(selection.tiers, s.tier_id); };
    std::vector<std::size_t> chosen;
    std::optional<QuestionSchedule> next_due;
    for (const QuestionSchedule& s : review_queue(schedules, now)) {
        if (!in_tiers(s)) continue;
        if (s.due_by(now)) {
            chosen.push_back(*bank.question_index(s.question_id));
        } else if (!next_due) {
            next_due = s;
        }
    }
    const std::size_t all_due = chosen.size();
    // As a flashcard deck caps a day's reviews: a long break leaves more due than one sitting
    // can take, and the most urgent come first.
    if (chosen.size() > global.max_reviews) chosen.resize(global.max_reviews);
    const std::size_t due = chosen.size();
    if (options.new_questions > 0) {
        SelectionOptions fresh = selection;
        for (const QuestionSchedule& s : schedules)
            if (s.is_new() && in_tiers(s)) fresh.ids.push_back(s.question_id);
        fresh.count = options.new_questions;
        if (!fresh.ids.empty()) {
            auto picked = select_questions(bank, fresh, options.seed.value_or(ctx.entropy));
            if (picked) chosen.insert(chosen.end(), picked->begin(), picked->end());
        }
    }
    if (options.count && chosen.size() > *options.count) chosen.resize(*options.count);
    if (chosen.empty()) {
        std::string message = "Nothing is due for review";
        if (next_due) {
            const auto offset = ctx.clock.utc_offset(next_due->card->due);
            const Date today = local_date(now, ctx.clock.utc_offset(now));
            const Date day = local_date(next_due->card->due, offset);
            message += fmt::format(": the next is {} on {} ({})", next_due->question_id, format_day(day, today),
                                   relative_day(day, today));
        }
        ctx.console.out << message << ".\n";
        return chosen;
    }
    const std::size_t asked_due = std::min(due, chosen.size());
    ctx.console.out << fmt::format("Review: {} due{}, {} new.\n", asked_due,
                                   asked_due < all_due ? fmt::format(" (of {})", all_due) : std::string(),
                                   chosen.size() - asked_due);
    return chosen;
}

// `schedules`, when the caller has them already, saves reading the history again.
Result<void> quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers,
                  const std::vector<QuestionSchedule>* schedules = nullptr) {
    if (options.no_timer && options.time_limit_seconds)
        return Error{"--time-limit and --no-timer contradict each other: give one"};
    if (options.review && !options.ids.empty())
        return Error{"--review picks the questions itself: drop --ids, or drop --review"};
    std::string source;
    auto bank = load_bank(ctx, global, &source);
    if (!bank) return std::move(bank).error();
    auto tiers = resolve_tiers(*bank, options.tiers);
    if (!tiers) return std::move(tiers).error();

    SelectionOptions selection{*tiers, options.ids, options.count,
                               options.order == "bank" ? QuestionOrder::Bank : QuestionOrder::Random};
    Result<std::vector<std::size_t>> chosen = std::vector<std::size_t>{};
    if (options.review) {
        const Timestamp now = to_timestamp(ctx.clock.now());
        std::vector<QuestionSchedule> loaded;
        if (schedules == nullptr) {
            auto settings = review_settings(global);
            if (!settings) return std::move(settings).error();
            auto read = load_schedules(ctx, global, *bank, *settings, now);
            if (!read) return std::move(read).error();
            loaded = std::move(*read);
            schedules = &loaded;
        }
        chosen = review_selection(ctx, global, *bank, selection, options, *schedules, now);
    } else {
        chosen = select_questions(*bank, selection, options.seed.value_or(ctx.entropy));
    }
    if (!chosen) return std::move(chosen).error();
    if (chosen->empty()) return {};  // a review with nothing to review, which said so
    // The session's questions are compiled before the first prompt, so a broken phrasing in a
    // custom bank is reported now rather than after an answer; the rest of the bank never is.
    Scorer scorer(*bank, source);
    for (std::size_t index : chosen.value())
        if (auto prepared = scorer.prepare(index); !prepared) return bank_error(std::move(prepared).error());
    auto path = history_path(ctx, global);
    if (!path) return std::move(path).error();
    // Before the first question, not after the first answer: a session whose answers cannot be
    // kept is not started.
    auto appendable = ctx.files.check_appendable(*path);
    if (!appendable)
        return Error{fmt::format("{} (answers could not be saved, so the session was not started)",
                                 appendable.error().message),
                     kExitFailure};
    if (*appendable) print_warning(ctx, **appendable);
    HistoryStore history(ctx.files, *path);

    QuizSettings settings;
    settings.questions = std::move(chosen.value());
    settings.timer = !options.no_timer;
    settings.time_limit_seconds = options.time_limit_seconds;
    if (options.session_minutes)
        // Whole seconds, rounded up: a limit under a second still asks one question.
        settings.session_limit = std::chrono::seconds(static_cast<long long>(std::ceil(*options.session_minutes * 60.0)));
    if (options.review) {
        auto review = review_settings(global);
        if (!review) return std::move(review).error();
        settings.review = review->thresholds;
    }
    // The last scored attempt at each question asked, to compare the first answer with. An
    // unreadable history only loses the comparison; stats and due report its lines.
    // Asked questions are marked by bank index, so that a review of a large bank stays linear.
    std::vector<bool> asked(bank->questions().size(), false);
    for (std::size_t i : settings.questions) asked[i] = true;
    std::vector<HistoryWarning> ignored;
    (void)history.scan(
        [&](const Attempt& a) {
            if (a.outcome != Outcome::Answered && a.outcome != Outcome::TimedOut) return;
            const auto index = bank->exact_question_index(a.question_id);
            if (!index || !asked[*index]) return;
            auto [it, inserted] = settings.previous.try_emplace(a.question_id);
            if (inserted || a.started_at >= it->second.at) it->second = PreviousAttempt{a.started_at, a.coverage, a.covered};
        },
        ignored, AnswerText::Skip);
    const Timestamp now = to_timestamp(ctx.clock.now());
    // The order's seed is not reused: two sessions given the same --seed still differ in id.
    settings.session_id =
        make_session_id(now, ctx.entropy ^ static_cast<std::uint64_t>(now.time_since_epoch().count()));

    QuizLayout layout{make_style(ctx, global), text_width(ctx), locale_is_utf8(ctx.env)};
    const std::size_t total = settings.questions.size();
    ctx.console.out << layout.style.bold(fmt::format("Practice session: {} question{}", total, total == 1 ? "" : "s"))
                    << layout.style.dim(settings.session_limit
                                            ? fmt::format(", {} in all", format_clock(settings.session_limit->count()))
                                            : std::string{})
                    << "\n";
    for (const std::string& line : wrap_text("Type your answer; a blank line or Ctrl-D submits it (blank lines in a "
                                             "paste do not). A line with :skip skips the question, :quit ends the "
                                             "session.",
                                             layout.width))
        ctx.console.out << layout.style.dim(line) << "\n";

    QuizSession session(*bank, scorer, history, ctx.clock, answers, ctx.console.out, ctx.console.err, layout);
    QuizOutcome outcome = session.run(settings);
    if (!outcome.attempts.empty() && !outcome.history_failed)
        ctx.console.out << layout.style.dim(fmt::format("Saved to {}", terminal_safe(history.path()))) << "\n";
    // Both were shown as they happened: the summary ends an interrupted session, and the session
    // said at once that its answers were not being saved.
    if (outcome.interrupted) return Error{{}, kExitInterrupted};
    if (outcome.history_failed) return Error{{}, kExitFailure};
    return {};
}

// "3 questions due for review · streak 4 days · last session 67%".
std::string greeting(const ProgressReport& history, std::size_t due, bool unicode) {
    std::vector<std::string> parts;
    parts.push_back(due == 0 ? std::string("Nothing due for review")
                             : fmt::format("{} question{} due for review", due, due == 1 ? "" : "s"));
    if (history.current_streak_days > 0)
        parts.push_back(fmt::format("streak {} day{}", history.current_streak_days,
                                    history.current_streak_days == 1 ? "" : "s"));
    else if (history.last_practised)
        parts.push_back("last practised " + relative_day(*history.last_practised, history.today));
    if (!history.sessions.empty() && history.sessions.back().coverage.mean())
        parts.push_back("last session " + percent(history.sessions.back().coverage.mean()));
    return join(parts, unicode ? " · " : " - ");
}

Result<void> home(AppContext& ctx, const GlobalOptions& global, AnswerSource& answers) {
    auto settings = review_settings(global);
    if (!settings) return std::move(settings).error();
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    auto path = history_path(ctx, global);
    if (!path) return std::move(path).error();
    const auto reading = ctx.clock.now();
    ProgressFilter everything;
    everything.utc_offset = utc_offset(ctx);
    const Timestamp now = to_timestamp(reading);
    // One pass over the history gives both the greeting and the review schedule.
    struct Reading {
        ProgressBuilder progress;
        ReviewScheduleBuilder schedules;
        std::size_t attempts = 0;
        [[nodiscard]] bool needs_second_reading() const { return progress.needs_second_reading(); }
    };
    bool warned = false;  // about unreadable lines, by a first reading
    auto read = read_through_window([&](std::optional<std::size_t> window) -> Result<Reading> {
        Reading r{ProgressBuilder(*bank, everything, *settings, ProgressDetail::Full, window),
                  ReviewScheduleBuilder(*bank, *settings)};
        auto visit = [&](const Attempt& attempt) {
            ++r.attempts;
            r.progress.add(attempt);
            r.schedules.add(attempt);
        };
        std::vector<HistoryWarning> warned_already;
        auto scanned = warned ? HistoryStore(ctx.files, *path).scan(visit, warned_already, AnswerText::Skip)
                              : scan_history(ctx, *path, visit, AnswerText::Skip);
        warned = true;
        if (!scanned) return std::move(scanned).error();
        return r;
    });
    if (!read) return std::move(read).error();
    QuizOptions options;
    if (read->attempts == 0) return quiz(ctx, global, options, answers);

    const ProgressReport history = std::move(read->progress).finish(everything.utc_offset.date_of(now), now);
    const std::vector<QuestionSchedule> scheduled = read->schedules.finish(now);
    const auto due = static_cast<std::size_t>(std::count_if(scheduled.begin(), scheduled.end(),
                                                            [&](const QuestionSchedule& s) { return s.due_by(now); }));
    const Style style = make_style(ctx, global);
    for (const std::string& line : wrap_text(greeting(history, due, locale_is_utf8(ctx.env)), text_width(ctx)))
        ctx.console.out << style.bold(line) << "\n";
    options.review = due > 0;
    return quiz(ctx, global, options, answers, &scheduled);
}

}  // namespace

int run_home(AppContext& ctx, const GlobalOptions& global, AnswerSource& answers) {
    return end_command(ctx, home(ctx, global, answers));
}

int run_quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers) {
    return end_command(ctx, quiz(ctx, global, options, answers));
}

}  // namespace ehrprep
