#include "ehrprep/quiz_command.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/bank_commands.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_selection.hpp"
#include "ehrprep/quiz_session.hpp"
#include "ehrprep/scorer.hpp"

namespace ehrprep {
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
    auto chosen = select_questions(*bank, selection, options.seed.value_or(ctx.entropy));
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
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock.now().time_since_epoch()).count();
    // The order's seed is not reused: two sessions given the same --seed still differ in id.
    settings.session_id = make_session_id(now, ctx.entropy ^ static_cast<std::uint64_t>(now));

    QuizLayout layout{make_style(ctx, global), std::min<std::size_t>(output_width(ctx, 80), 100),
                      locale_is_utf8(ctx.env)};
    const std::size_t total = settings.questions.size();
    ctx.console.out << layout.style.bold(fmt::format("Practice session: {} question{}", total, total == 1 ? "" : "s"))
                    << layout.style.dim(settings.session_limit
                                            ? fmt::format(", {} in all", format_clock(settings.session_limit->count()))
                                            : std::string{})
                    << "\n"
                    << layout.style.dim("Type your answer; a blank line submits it. A line with :skip skips the "
                                        "question, :quit ends the session.")
                    << "\n";

    QuizSession session(*bank, *scorer, history, ctx.clock, answers, ctx.console.out, ctx.console.err, layout);
    QuizOutcome outcome = session.run(settings);
    if (!outcome.attempts.empty() && !outcome.history_failed)
        ctx.console.out << layout.style.dim(fmt::format("Saved to {}", history.path())) << "\n";
    if (outcome.interrupted) return kExitInterrupted;
    return outcome.history_failed ? kExitFailure : kExitOk;
}

}  // namespace ehrprep
