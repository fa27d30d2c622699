#include "ehrprep/quiz_session.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/coverage_stats.hpp"
#include "ehrprep/coverage_view.hpp"
#include "ehrprep/insights.hpp"
#include "ehrprep/review_schedule.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"

namespace ehrprep {

std::string format_clock(double seconds) {
    const auto whole = static_cast<long long>(std::max(0.0, std::round(seconds)));
    return fmt::format("{}:{:02}", whole / 60, whole % 60);
}

std::string make_session_id(Timestamp started_at, std::uint64_t random) {
    std::string id;
    append_compact_utc(id, started_at);
    fmt::format_to(std::back_inserter(id), "-{:04x}", random & 0xFFFF);
    return id;
}

QuizSession::QuizSession(const QuestionBank& bank, Scorer& scorer, HistoryStore& history, Clock& clock,
                         AnswerSource& answers, std::ostream& out, std::ostream& err, QuizLayout layout)
    : bank_(bank), scorer_(scorer), history_(history), clock_(clock), answers_(answers), out_(out), err_(err),
      layout_(std::move(layout)) {}

void QuizSession::ask_header(const Question& question, std::size_t position, std::size_t total,
                             std::optional<double> allowed_seconds, bool session_limited, bool retry) {
    const Tier* tier = bank_.find_tier(question.tier_id);
    const std::string sep = layout_.unicode ? " · " : " - ";
    std::string header = fmt::format("[{}/{}{}]", position, total, retry ? " again" : "");
    out_ << '\n'
         << layout_.style.bold(header) << ' ' << terminal_safe(tier ? tier->name : question.tier_id) << sep
         << layout_.style.cyan(terminal_safe(question.id));
    if (allowed_seconds) {
        out_ << sep << format_clock(*allowed_seconds) << " to answer";
        if (session_limited) out_ << layout_.style.dim(", the session's time left");
    }
    out_ << "\n\n";
    for (const std::string& line : wrap_text(terminal_safe(question.text), layout_.width))
        out_ << layout_.style.bold(line) << '\n';
    out_ << '\n';
}

Attempt QuizSession::record(const Question& question, const QuizSettings& settings, Timestamp started_at,
                            double seconds, Outcome outcome, const std::string& text,
                            const CoverageResult* coverage) {
    Attempt attempt;
    attempt.session_id = settings.session_id;
    attempt.question_id = question.id;
    attempt.tier_id = question.tier_id;
    attempt.started_at = started_at;
    attempt.seconds = seconds;
    attempt.outcome = outcome;
    attempt.answer = text;
    if (coverage != nullptr) {
        attempt.coverage = coverage->coverage;
        for (const auto& c : coverage->covered) attempt.covered.push_back(c.label);
        for (const auto& c : coverage->missed) attempt.missed.push_back(c.label);
        // Argued against earns nothing: for progress it is a point still to learn.
        for (const auto& c : coverage->rejected) attempt.missed.push_back(c.label);
    } else {
        for (const Concept& c : question.concepts) attempt.missed.push_back(c.label);
    }
    return attempt;
}

void QuizSession::show_skipped(const Question& question) {
    out_ << layout_.style.dim("Skipped.") << "\n\n" << layout_.style.bold("What a great answer covers") << '\n';
    for (const std::string& line : wrap_text(terminal_safe(question.hint), layout_.width - 2)) out_ << "  " << line << '\n';
    out_ << '\n' << layout_.style.bold("The points to make") << '\n';
    for (const Concept& c : question.concepts) {
        out_ << "  " << (layout_.unicode ? "• " : "- ") << terminal_safe(c.label) << '\n';
        if (c.tip.empty()) continue;
        for (const std::string& line : wrap_text(terminal_safe(c.tip), layout_.width - 6)) out_ << "      " << line << '\n';
    }
}

bool QuizSession::save(Attempt& attempt, QuizOutcome& outcome) {
    // One that cannot be saved is shown whole, to copy, and the session goes on.
    const auto saved = history_.append(attempt);
    if (!saved) {
        err_ << "ehrprep: " << terminal_safe(saved.error().message) << " (this attempt was not saved)\n";
        if (!attempt.answer.empty())
            err_ << "Your answer, to copy before it is lost:\n" << terminal_safe(attempt.answer) << "\n";
        outcome.history_failed = true;
    }
    outcome.attempts.push_back(attempt);
    return saved.has_value();
}

QuizOutcome QuizSession::run(const QuizSettings& settings) {
    using namespace std::chrono;
    QuizOutcome outcome;
    const auto session_start = clock_.monotonic();
    const std::optional<steady_clock::time_point> session_end =
        settings.session_limit ? std::optional(session_start + *settings.session_limit) : std::nullopt;
    bool stop = false;

    for (std::size_t i = 0; i < settings.questions.size() && !stop; ++i) {
        const std::size_t index = settings.questions[i];
        const Question& question = bank_.questions().at(index);
        const Tier* tier = bank_.find_tier(question.tier_id);
        std::optional<int> limit;
        if (settings.timer) limit = settings.time_limit_seconds.value_or(tier ? tier->time_limit_seconds : 180);
        const bool last = i + 1 == settings.questions.size();
        // What this answer is compared with: the last session's attempt, then each try here.
        std::optional<PreviousAttempt> before;
        std::string before_name = "last time";
        if (auto it = settings.previous.find(question.id); it != settings.previous.end()) {
            before = it->second;
            before_name = fmt::format("last time ({})", format_date(local_date(it->second.at, clock_.utc_offset(it->second.at))));
        }
        bool retry = false;
        bool example_shown = false;

        for (bool again = true; again && !stop;) {
            again = false;
            const auto started = clock_.monotonic();
            if (session_end && started >= *session_end) {
                out_ << '\n' << layout_.style.yellow("The session's time is up.") << '\n';
                stop = true;
                break;
            }
            AnswerRequest request{i + 1, settings.questions.size(), std::nullopt};
            if (limit) request.deadline = started + seconds(*limit);
            bool session_ran_out = false;
            if (session_end && (!request.deadline || *session_end < *request.deadline)) {
                request.deadline = session_end;
                session_ran_out = true;  // if this deadline is reached, it was the session's
            }
            // What the question really has: its limit, or less when the session ends first.
            std::optional<double> allowed;
            if (request.deadline) allowed = duration<double>(*request.deadline - started).count();
            ask_header(question, i + 1, settings.questions.size(), allowed, session_ran_out, retry);
            out_.flush();
            const Timestamp started_at = to_timestamp(clock_.now());

            AnswerInput input = answers_.read_answer(request);
            const double taken = duration<double>(clock_.monotonic() - started).count();
            if (input.end == AnswerEnd::Interrupted) {
                outcome.interrupted = true;
                out_ << '\n'
                     << layout_.style.yellow(input.text.empty() ? "Interrupted."
                                                                : "Interrupted: the unfinished answer was not saved.")
                     << '\n';
                stop = true;
                break;
            }
            if (input.end == AnswerEnd::EndOfInput) {
                stop = true;
                break;
            }

            std::optional<CoverageResult> coverage;
            Outcome result = Outcome::Answered;
            switch (input.end) {
                case AnswerEnd::Skipped: result = Outcome::Skipped; break;
                case AnswerEnd::Quit: result = Outcome::Quit; break;
                case AnswerEnd::TimedOut: result = Outcome::TimedOut; break;
                default: break;
            }
            if (result == Outcome::Answered || result == Outcome::TimedOut) {
                const std::string text = repair_utf8(input.text).text;
                coverage = scorer_.score(text, index);
                input.text = text;
            }
            Attempt attempt = record(question, settings, started_at, taken, result, input.text,
                                     coverage ? &*coverage : nullptr);
            attempt.retry = retry;
            // In a review the rating can still change, so the attempt is saved once it is
            // settled; otherwise before anything else is shown, so that a session killed from
            // here on keeps it.
            const std::optional<Rating> suggested =
                settings.review && result != Outcome::Quit && !retry ? rating_for(attempt, *settings.review) : std::nullopt;
            bool saved = false;
            if (!suggested) saved = (save(attempt, outcome), true);

            if (result == Outcome::Quit) {
                out_ << "Session ended.\n";
                stop = true;
                break;
            }
            out_ << '\n';
            if (result == Outcome::Skipped) {
                show_skipped(question);
            } else {
                if (input.truncated)
                    out_ << layout_.style.yellow(fmt::format("Your answer was longer than {} KiB: the first {} KiB was "
                                                             "kept and scored.",
                                                             kMaxAnswerBytes / 1024, kMaxAnswerBytes / 1024))
                         << "\n\n";
                if (result == Outcome::TimedOut)
                    out_ << layout_.style.yellow(fmt::format("Time's up at {}{}: your answer so far was scored.",
                                                             format_clock(allowed.value_or(taken)),
                                                             session_ran_out ? ", the end of the session's time" : ""))
                         << "\n\n";
                InsightRequest insight;
                insight.story = is_story_tier(question.tier_id);
                insight.seconds = taken;
                insight.limit_seconds = allowed;
                const AnswerInsights insights = analyze_insights(input.text, insight);
                out_ << render_coverage(*coverage, question, layout_.style, layout_.width, layout_.unicode, &insights);
                if (before)
                    out_ << '\n'
                         << render_change(before_name, before->coverage, before->covered, *coverage, layout_.style,
                                          layout_.width, layout_.unicode);
                if (result == Outcome::Answered)
                    out_ << '\n'
                         << layout_.style.dim(allowed ? fmt::format("Answered in {} of {}.", format_clock(taken),
                                                                    format_clock(*allowed))
                                                      : fmt::format("Answered in {}.", format_clock(taken)))
                         << '\n';
                before = PreviousAttempt{started_at, coverage->coverage, attempt.covered};
                before_name = "your last try";
            }
            if (suggested)
                out_ << '\n'
                     << fmt::format("Review rating: {} (from this answer's coverage).", rating_label(*suggested)) << '\n';
            const bool session_over = result == Outcome::TimedOut && session_ran_out;

            for (bool asking = !session_over; asking;) {
                FeedbackOffer offer;
                offer.retry = true;
                offer.example = !question.example.empty() && !example_shown;
                offer.rating = suggested ? std::optional(attempt.chosen_rating.value_or(*suggested)) : std::nullopt;
                offer.last = last;
                out_.flush();
                const FeedbackChoice choice = answers_.after_feedback(offer);
                asking = false;
                if (choice == FeedbackChoice::ShowExample) {
                    example_shown = true;
                    out_ << '\n' << layout_.style.bold("An example answer") << '\n';
                    for (const std::string& line : wrap_text(terminal_safe(question.example), layout_.width - 2))
                        out_ << "  " << line << '\n';
                    asking = true;
                } else if (auto rating = chosen_rating(choice); rating && suggested) {
                    if (*rating == *suggested) {
                        attempt.chosen_rating.reset();
                        attempt.suggested_rating.reset();
                    } else {
                        attempt.chosen_rating = rating;
                        attempt.suggested_rating = suggested;
                    }
                    out_ << fmt::format("Review rating: {}{}.", rating_label(*rating),
                                        *rating == *suggested ? "" : fmt::format(" (coverage suggested {})",
                                                                               rating_label(*suggested)))
                         << '\n';
                    asking = true;
                } else if (choice == FeedbackChoice::Retry) {
                    again = true;
                    retry = true;
                } else if (choice == FeedbackChoice::Interrupted) {
                    outcome.interrupted = true;
                    out_ << '\n' << layout_.style.yellow("Interrupted.") << '\n';
                    stop = true;
                }
            }
            if (!saved) save(attempt, outcome);
            if (session_over) stop = true;
        }
    }
    out_ << '\n' << render_session_summary(bank_, outcome.attempts, layout_);
    out_.flush();
    return outcome;
}

std::string render_session_summary(const QuestionBank& bank, const std::vector<Attempt>& attempts,
                                   const QuizLayout& layout) {
    const Style& style = layout.style;
    if (attempts.empty()) return "No questions answered in this session.\n";
    std::size_t id_width = 8;
    std::size_t tier_width = 4;
    for (const Attempt& a : attempts) {
        id_width = std::max(id_width, display_width(terminal_safe(a.question_id)));
        const Tier* tier = bank.find_tier(a.tier_id);
        tier_width = std::max(tier_width, display_width(terminal_safe(tier ? tier->name : a.tier_id)));
    }
    auto row = [&](std::string_view id, std::string_view tier, std::string_view coverage, std::string_view time,
                   std::string_view note) {
        std::string line = fmt::format("  {}  {}  {:>8}  {:>6}  {}", pad_to_width(id, id_width),
                                       pad_to_width(tier, tier_width), coverage, time, note);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        return line + "\n";
    };
    std::string out = style.bold("Session summary") + "\n\n";
    out += style.dim(row("QUESTION", "TIER", "COVERAGE", "TIME", ""));
    struct TierTally {
        CoverageStats coverage;
        std::size_t skipped = 0;
        std::size_t quit = 0;
    };
    std::map<std::string, TierTally> by_tier;
    CoverageStats overall;
    for (const Attempt& a : attempts) {
        const Tier* tier = bank.find_tier(a.tier_id);
        TierTally& tally = by_tier[a.tier_id];
        tally.coverage.add(a);
        overall.add(a);
        std::string note;
        switch (a.outcome) {
            case Outcome::Skipped: note = "skipped", ++tally.skipped; break;
            case Outcome::Quit: note = "quit", ++tally.quit; break;
            case Outcome::TimedOut: note = "timed out"; break;
            case Outcome::Answered: break;
        }
        const bool scored_retry = a.retry && (a.outcome == Outcome::Answered || a.outcome == Outcome::TimedOut);
        if (a.retry) note = note.empty() ? "retry, not averaged" : note + ", retry, not averaged";
        const std::string coverage = is_scored(a) || scored_retry ? percent(a.coverage) : "-";
        out += row(terminal_safe(a.question_id), terminal_safe(tier ? tier->name : a.tier_id), coverage,
                   format_clock(a.seconds), note);
    }
    if (!overall.mean()) return out;
    out += "\n";
    for (const Tier& tier : bank.tiers()) {
        auto it = by_tier.find(tier.id);
        if (it == by_tier.end()) continue;
        const TierTally& tally = it->second;
        const auto mean = tally.coverage.mean();
        std::string count = fmt::format("{} question{}", tally.coverage.attempts, tally.coverage.attempts == 1 ? "" : "s");
        if (tally.skipped > 0) count += fmt::format(", {} skipped", tally.skipped);
        if (tally.quit > 0) count += fmt::format(", {} quit", tally.quit);
        out += fmt::format("  {}  {:>5}  {}  ({})\n", pad_to_width(terminal_safe(tier.name), tier_width + id_width + 2),
                           percent(mean),
                           mean ? coverage_bar(*mean, 10, layout.unicode) : std::string(10, ' '), count);
    }
    out += fmt::format("\n  {} {} {}\n", style.bold("Overall coverage"), percent(overall.mean()),
                       coverage_bar(*overall.mean(), 20, layout.unicode));
    return out;
}

}  // namespace ehrprep
