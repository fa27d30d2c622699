#include "ehrprep/report_markdown.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ehrprep/report_cells.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/scorer.hpp"

namespace ehrprep {
namespace {

// Markdown: backslash-escape what would otherwise format, and keep each value on one line so
// it cannot end a table row or start a heading. A report is read with cat and less as often
// as rendered, so control characters are made harmless too.
std::string md_escape(std::string_view text) {
    std::string out;
    for (char c : terminal_safe(text)) {
        if (c == '\n' || c == '\r' || c == '\t') {
            out.push_back(' ');
            continue;
        }
        if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

// An answer as a quote block: its line breaks kept, each line escaped.
std::string md_quote(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t stop = text.find('\n', start);
        if (stop == std::string_view::npos) stop = text.size();
        const std::string line = md_escape(text.substr(start, stop - start));
        out += line.empty() ? ">\n" : "> " + line + "\n";
        start = stop + 1;
    }
    return out;
}

std::string markdown_answers(const ProgressReport& r, const LocalTime& local, std::span<const SessionAnswers> answers) {
    std::string out = "## Answers\n\n";
    out += "Each answer as it was typed, with the points it covered and missed, newest session first.\n\n";
    for (const SessionAnswers& session : answers) {
        out += fmt::format("### Session of {}\n\n", local.day_and_time(session.started_at));
        for (const Attempt& a : session.attempts) {
            out += fmt::format("#### {} ({}) · {}\n\n", md_escape(a.question_id), md_escape(tier_name(r, a.tier_id)),
                               attempt_summary(a));
            if (const QuestionProgress* q = find_question(r, a.question_id); q != nullptr && !q->text.empty())
                out += fmt::format("*{}*\n\n", md_escape(q->text));
            if (!a.answer.empty()) out += md_quote(a.answer) + "\n";
            if (a.outcome == Outcome::Answered || a.outcome == Outcome::TimedOut) {
                out += fmt::format("- Covered: {}\n", a.covered.empty() ? "nothing" : md_escape(join(a.covered, "; ")));
                out += fmt::format("- Missed: {}\n\n", a.missed.empty() ? "nothing" : md_escape(join(a.missed, "; ")));
            }
        }
    }
    return out;
}

}  // namespace

std::string render_markdown(const ProgressReport& r, const LocalTime& local, std::span<const SessionAnswers> answers) {
    std::string out;
    out += fmt::format("# Interview practice report\n\n");
    out += fmt::format("Bank: {}  \nGenerated: {}  \nFilters: {}\n\n", md_escape(r.bank_title), format_date(r.today),
                       md_escape(describe_filter(r.filter)));
    out += "## Summary\n\n";
    if (r.empty()) {
        out += "No attempts match. Practise with `ehrprep quiz`, then run this report again.\n";
        return out;
    }
    out += fmt::format("- Attempts: {} ({}) in {} session{}\n", r.overall.coverage.attempts, outcome_summary(r.outcomes),
                       r.sessions.size(), r.sessions.size() == 1 ? "" : "s");
    out += fmt::format("- Questions practised: {} of {}\n", r.overall.questions_practised, r.overall.questions_total);
    out += fmt::format("- Coverage: mean {}, best {}, change over recent sessions {} points\n",
                       percent(r.overall.coverage.mean()), percent(r.overall.coverage.best()), points(r.overall.change));
    out += fmt::format("- Streak: {}\n", streak_summary(r));
    out += fmt::format("- Due for spaced review now: {} question{}\n\n", r.reviews_due_now,
                       r.reviews_due_now == 1 ? "" : "s");

    out += "## Coverage per tier\n\n";
    out += "| Tier | Practised | Attempts | Mean | Best | Change (points) |\n";
    out += "|:-----|----------:|---------:|-----:|-----:|----------------:|\n";
    auto tier_line = [&](const TierProgress& t, bool bold) {
        const std::string name = bold ? "**" + md_escape(t.name) + "**" : md_escape(t.name);
        return fmt::format("| {} | {} | {} | {} | {} | {} |\n", name, practised(t), t.coverage.attempts,
                           percent(t.coverage.mean()), percent(t.coverage.best()),
                           md_escape(points(t.change)));
    };
    for (const TierProgress& t : r.tiers) out += tier_line(t, false);
    out += tier_line(r.overall, true);
    out += '\n';

    out += "## Weakest questions\n\n";
    if (!r.weakest.empty())
        out += fmt::format("Latest answer below {} (strong), lowest first.\n\n", percent(kStrongCoverage));
    if (r.weakest.empty())
        out += r.overall.coverage.scored == 0 ? "No scored answers yet.\n\n"
                                              : "None: every question's latest answer was strong.\n\n";
    for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) {
        const QuestionProgress& q = weakest_at(r, k);
        out += fmt::format("### {}. {} ({})\n\n", k + 1, md_escape(q.id), md_escape(tier_name(r, q.tier_id)));
        if (!q.text.empty()) out += fmt::format("> {}\n\n", md_escape(q.text));
        std::vector<std::string> facts;
        for (const QuestionField& field : question_fields())
            facts.push_back(fmt::format("{}: {}", field.header, md_escape(field.text(q, local))));
        out += "- " + join(facts, " · ") + "\n";
        out += fmt::format("- Missed last time: {}\n", q.latest_missed.empty() ? "nothing" : md_escape(join(q.latest_missed, "; ")));
        if (!q.hint.empty()) out += fmt::format("- Hint: {}\n", md_escape(q.hint));
        out += '\n';
    }

    if (!r.most_missed.empty()) {
        out += "## Concepts missed most often\n\n";
        out += "| Concept | Question | Missed | Of scored attempts |\n";
        out += "|:--------|:---------|-------:|-------------------:|\n";
        for (std::size_t k = 0; k < std::min(kMissedInReports, r.most_missed.size()); ++k) {
            const ConceptMisses& c = r.most_missed[k];
            out += fmt::format("| {} | {} | {} | {} |\n", md_escape(c.label), md_escape(c.question_id), c.missed,
                               c.scored_attempts);
        }
        out += '\n';
    }

    out += "## Sessions\n\n";
    const std::size_t shown = std::min(kSessionsInReports, r.sessions.size());
    if (shown < r.sessions.size())
        out += fmt::format("The last {} of {} sessions, newest first; the JSON and CSV reports list them all.\n\n", shown,
                           r.sessions.size());
    out += "| Started | Attempts | Mean coverage | Tiers |\n";
    out += "|:--------|---------:|--------------:|:------|\n";
    for (std::size_t k = 0; k < shown; ++k) {
        const SessionProgress& s = r.sessions[r.sessions.size() - 1 - k];
        std::vector<std::string> tiers;
        for (const std::string& id : s.tiers) tiers.push_back(tier_name(r, id));
        out += fmt::format("| {} | {} | {} | {} |\n", local.day_and_time(s.started_at), s.coverage.attempts,
                           percent(s.coverage.mean()), md_escape(join(tiers, ", ")));
    }
    if (!answers.empty()) out += "\n" + markdown_answers(r, local, answers);
    return out;
}

}  // namespace ehrprep
