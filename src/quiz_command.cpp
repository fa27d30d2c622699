#include "ehrprep/quiz_command.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/command_support.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_selection.hpp"
#include "ehrprep/quiz_session.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {
namespace {

// The questions a review session asks; empty (after saying why) when there is nothing to
// review.
Result<std::vector<std::size_t>> review_selection(AppContext& ctx, const GlobalOptions& global,
                                                  const QuestionBank& bank, const SelectionOptions& selection,
                                                  const QuizOptions& options) {
    auto settings = review_settings(global);
    if (!settings) return std::move(settings).error();
    const Timestamp now = to_timestamp(ctx.clock.now());
    auto schedules = load_schedules(ctx, global, bank, *settings, now);
    if (!schedules) return std::move(schedules).error();
    auto in_tiers = [&](const QuestionSchedule& s) { return tier_selected(selection.tiers, s.tier_id); };
    std::vector<std::size_t> chosen;
    std::optional<QuestionSchedule> next_due;
    for (const QuestionSchedule& s : review_queue(*schedules, now)) {
        if (!in_tiers(s)) continue;
        if (s.due_by(now)) {
            chosen.push_back(*bank.question_index(s.question_id));
        } else if (!next_due) {
            next_due = s;
        }
    }
    const std::size_t due = chosen.size();
    if (options.new_questions > 0) {
        SelectionOptions fresh = selection;
        for (const QuestionSchedule& s : *schedules)
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
            const auto offset = ctx.clock.utc_offset(ctx.clock.now());
            message += fmt::format(": the next is {} on {}", next_due->question_id,
                                   format_date(local_date(next_due->card->due, offset)));
        }
        ctx.console.out << message << ".\n";
        return chosen;
    }
    const std::size_t fresh = chosen.size() - std::min(due, chosen.size());
    ctx.console.out << fmt::format("Review: {} due, {} new.\n", std::min(due, chosen.size()), fresh);
    return chosen;
}

Result<void> quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers) {
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
    auto chosen = options.review ? review_selection(ctx, global, *bank, selection, options)
                                 : select_questions(*bank, selection, options.seed.value_or(ctx.entropy));
    if (!chosen) return std::move(chosen).error();
    if (chosen->empty()) return {};  // a review with nothing to review, which said so
    // The session's questions are compiled before the first prompt, so a broken phrasing in a
    // custom bank is reported now rather than after an answer; the rest of the bank never is.
    Scorer scorer(*bank, source);
    for (std::size_t index : chosen.value())
        if (auto prepared = scorer.prepare(index); !prepared) return bank_error(std::move(prepared).error());
    auto path = history_path(ctx, global);
    if (!path) return std::move(path).error();
    HistoryStore history(ctx.files, *path);

    QuizSettings settings;
    settings.questions = std::move(chosen.value());
    settings.timer = !options.no_timer;
    settings.time_limit_seconds = options.time_limit_seconds;
    if (options.session_minutes)
        settings.session_limit = std::chrono::seconds(static_cast<long long>(std::llround(*options.session_minutes * 60.0)));
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
        ctx.console.out << layout.style.dim(fmt::format("Saved to {}", history.path())) << "\n";
    // Both were shown as they happened: the summary ends an interrupted session, and the session
    // said at once that its answers were not being saved.
    if (outcome.interrupted) return Error{{}, kExitInterrupted};
    if (outcome.history_failed) return Error{{}, kExitFailure};
    return {};
}

}  // namespace

int run_quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers) {
    return end_command(ctx, quiz(ctx, global, options, answers));
}

}  // namespace ehrprep
