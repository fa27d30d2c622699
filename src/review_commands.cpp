#include "ehrprep/review_commands.hpp"

#include <chrono>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/command_support.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {
namespace {

// "now", "in 3 days", "2 days ago" relative to `now`, by whole days.
std::string relative_days(Timestamp due, Timestamp now) {
    const double days = days_between(now, due);
    if (days <= 0.0 && days > -1.0) return "now";
    const long whole = std::lround(std::fabs(days) < 1.0 ? 1.0 : std::floor(std::fabs(days)));
    if (days < 0) return fmt::format("{} day{} overdue", whole, whole == 1 ? "" : "s");
    const long ahead = std::lround(std::ceil(days));
    return fmt::format("in {} day{}", ahead, ahead == 1 ? "" : "s");
}

Result<void> due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options) {
    auto settings = review_settings(global);
    if (!settings) return std::move(settings).error();
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    auto tiers = resolve_tiers(*bank, options.tiers);
    if (!tiers) return std::move(tiers).error();
    const Timestamp now = to_timestamp(ctx.clock.now());
    auto schedules = load_schedules(ctx, global, *bank, *settings, now);
    if (!schedules) return std::move(schedules).error();

    std::size_t new_count = 0;
    std::vector<QuestionSchedule> in_tiers;
    for (QuestionSchedule& s : *schedules) {
        if (!tier_selected(*tiers, s.tier_id)) continue;
        if (s.is_new()) ++new_count;
        in_tiers.push_back(std::move(s));
    }
    const Timestamp horizon = add_days(now, options.within_days);
    std::vector<QuestionSchedule> queue = review_queue(in_tiers, now);
    const auto later = std::find_if(queue.begin(), queue.end(), [&](const auto& s) { return s.card->due > horizon; });
    const std::optional<QuestionSchedule> next_later = later == queue.end() ? std::nullopt : std::optional(*later);
    queue.erase(later, queue.end());
    const auto due_now = static_cast<std::size_t>(
        std::count_if(queue.begin(), queue.end(), [&](const auto& s) { return s.due_by(now); }));
    const auto offset = ctx.clock.utc_offset(ctx.clock.now());
    auto due_date = [&](const QuestionSchedule& s) { return format_date(local_date(s.card->due, offset)); };

    if (options.format == "json") {
        nlohmann::ordered_json out{{"now", format_utc(now)},
                                   {"retention", settings->fsrs.desired_retention},
                                   {"due_now", due_now},
                                   {"new", new_count},
                                   {"questions", nlohmann::ordered_json::array()}};
        for (const QuestionSchedule& s : queue) {
            out["questions"].push_back({{"id", s.question_id},
                                        {"tier", s.tier_id},
                                        {"due", format_utc(s.card->due)},
                                        {"due_now", s.due_by(now)},
                                        {"retrievability", std::round(s.retrievability * 10000.0) / 10000.0},
                                        {"stability_days", std::round(s.card->state.stability * 100.0) / 100.0},
                                        {"difficulty", std::round(s.card->state.difficulty * 100.0) / 100.0},
                                        {"reviews", s.card->reviews},
                                        {"lapses", s.card->lapses}});
        }
        ctx.console.out << out.dump(2) << '\n';
        return {};
    }

    Style style = make_style(ctx, global);
    std::ostream& out = ctx.console.out;
    if (queue.empty()) {
        out << "Nothing is due in the next " << fmt::format("{:g}", options.within_days) << " days.";
        if (next_later)
            out << fmt::format(" Next: {} on {} ({}).", next_later->question_id, due_date(*next_later),
                               relative_days(next_later->card->due, now));
        out << '\n';
        if (new_count > 0)
            out << fmt::format("{} question{} never practised: ehrprep quiz --review takes some.\n", new_count,
                               new_count == 1 ? "" : "s");
        return {};
    }
    std::size_t id_width = 2;
    for (const auto& s : queue) id_width = std::max(id_width, display_width(s.question_id));
    const std::size_t width = output_width(ctx, 0);
    const std::size_t fixed = id_width + 2 + 10 + 2 + 16 + 2 + 6 + 2 + 9 + 2;
    auto question_text = [&](const std::string& id) {
        const Question* q = bank->find_question(id);
        std::string text = q ? terminal_safe(q->text) : "";
        return width > fixed + 10 ? truncate_to_width(text, width - fixed, !locale_is_utf8(ctx.env)) : text;
    };
    out << style.bold(fmt::format("{}  {:<10}  {:<16}  {:>6}  {:>9}  QUESTION", pad_to_width("ID", id_width), "DUE", "",
                                  "RECALL", "STABILITY"))
        << '\n';
    for (const QuestionSchedule& s : queue) {
        const bool due = s.due_by(now);
        const std::string when = relative_days(s.card->due, now);
        out << style.cyan(pad_to_width(s.question_id, id_width)) << "  " << due_date(s) << "  "
            << (due ? style.yellow(pad_to_width(when, 16)) : pad_to_width(when, 16)) << "  "
            << fmt::format("{:>5.0f}%  {:>7.1f} d", s.retrievability * 100.0, s.card->state.stability) << "  "
            << question_text(s.question_id) << '\n';
    }
    out << '\n'
        << fmt::format("{} due now, {} more within {:g} days, {} never practised.", due_now, queue.size() - due_now,
                       options.within_days, new_count);
    if (due_now > 0) out << " Review them with: ehrprep quiz --review";
    out << '\n';
    return {};
}

}  // namespace

int run_due(AppContext& ctx, const GlobalOptions& global, const DueOptions& options) {
    return end_command(ctx, due(ctx, global, options));
}

}  // namespace ehrprep
