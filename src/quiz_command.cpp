#include "ehrprep/quiz_command.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_selection.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/quiz_session.hpp"
#include "ehrprep/review_commands.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/text_layout.hpp"

namespace ehrprep {
namespace {

// The questions a review session asks; empty (after saying why) when there is nothing to
// review. Fails with the exit status to return.
Result<std::vector<std::size_t>, int> review_selection(AppContext& ctx, const GlobalOptions& global,
                                                       const QuestionBank& bank, const SelectionOptions& selection,
                                                       const QuizOptions& options) {
    auto settings = review_settings(ctx, global);
    if (!settings) return kExitBadInput;
    const Timestamp now = to_timestamp(ctx.clock.now());
    auto schedules = load_schedules(ctx, global, bank, *settings, now);
    if (!schedules) return kExitFailure;
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

}  // namespace

int run_quiz(AppContext& ctx, const GlobalOptions& global, const QuizOptions& options, AnswerSource& answers) {
    if (options.no_timer && options.time_limit_seconds) {
        print_error(ctx, "--time-limit and --no-timer contradict each other: give one");
        return kExitBadInput;
    }
    if (options.time_limit_seconds && *options.time_limit_seconds < 1) {
        print_error(ctx, "--time-limit must be at least 1 second");
        return kExitBadInput;
    }
    if (options.session_minutes && !(*options.session_minutes > 0.0)) {
        print_error(ctx, "--session-time must be a positive number of minutes");
        return kExitBadInput;
    }
    if (options.count && *options.count == 0) {
        print_error(ctx, "--count must be at least 1");
        return kExitBadInput;
    }
    std::string source;
    auto bank = load_bank(ctx, global, &source);
    if (!bank) return kExitBadInput;
    auto tiers = resolve_tiers(ctx, *bank, options.tiers);
    if (!tiers) return kExitBadInput;

    SelectionOptions selection{*tiers, options.ids, options.count,
                               options.order == "bank" ? QuestionOrder::Bank : QuestionOrder::Random};
    Result<std::vector<std::size_t>> chosen = std::vector<std::size_t>{};
    if (options.review) {
        if (!options.ids.empty()) {
            print_error(ctx, "--review picks the questions itself: drop --ids, or drop --review");
            return kExitBadInput;
        }
        auto review = review_selection(ctx, global, *bank, selection, options);
        if (!review) return review.error();
        if (review->empty()) return kExitOk;
        chosen = std::move(review.value());
    } else {
        chosen = select_questions(*bank, selection, options.seed.value_or(ctx.entropy));
    }
    if (!chosen) {
        print_error(ctx, chosen.error().message);
        return kExitBadInput;
    }
    auto scorer = Scorer::compile(*bank, source);
    if (!scorer) {
        for (const std::string& line : scorer.error().lines) ctx.console.err << line << '\n';
        return kExitBadInput;
    }
    auto data_dir = data_directory(ctx, global);
    if (!data_dir) {
        print_error(ctx, data_dir.error().message);
        return kExitBadInput;
    }
    HistoryStore history(ctx.files, *data_dir + "/" + std::string(kHistoryFileName));

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

    QuizLayout layout{make_style(ctx, global), std::min<std::size_t>(output_width(ctx, 80), 100),
                      locale_is_utf8(ctx.env)};
    const std::size_t total = settings.questions.size();
    ctx.console.out << layout.style.bold(fmt::format("Practice session: {} question{}", total, total == 1 ? "" : "s"))
                    << layout.style.dim(settings.session_limit
                                            ? fmt::format(", {} in all", format_clock(settings.session_limit->count()))
                                            : std::string{})
                    << "\n";
    for (const std::string& line : wrap_text("Type your answer; a blank line submits it. A line with :skip skips the "
                                             "question, :quit ends the session.",
                                             layout.width))
        ctx.console.out << layout.style.dim(line) << "\n";

    QuizSession session(*bank, *scorer, history, ctx.clock, answers, ctx.console.out, ctx.console.err, layout);
    QuizOutcome outcome = session.run(settings);
    if (!outcome.attempts.empty() && !outcome.history_failed)
        ctx.console.out << layout.style.dim(fmt::format("Saved to {}", history.path())) << "\n";
    if (outcome.interrupted) return kExitInterrupted;
    return outcome.history_failed ? kExitFailure : kExitOk;
}

}  // namespace ehrprep
