#include "ehrprep/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "ehrprep/report_cells.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/svg_chart.hpp"

namespace ehrprep {
namespace {

constexpr std::size_t kMaxChartPoints = 90;

// Averages neighbouring days so a chart of years of practice stays readable and small.
std::vector<DailyCoverage> thin_out(const std::vector<DailyCoverage>& daily, std::size_t tiers) {
    if (daily.size() <= kMaxChartPoints) return daily;
    std::vector<DailyCoverage> out;
    const std::size_t per_bin = (daily.size() + kMaxChartPoints - 1) / kMaxChartPoints;
    for (std::size_t start = 0; start < daily.size(); start += per_bin) {
        const std::size_t end = std::min(daily.size(), start + per_bin);
        DailyCoverage bin{daily[start].date, std::nullopt, {}};
        auto average = [&](auto value_of) -> std::optional<double> {
            double sum = 0;
            int count = 0;
            for (std::size_t k = start; k < end; ++k)
                if (auto v = value_of(daily[k])) {
                    sum += *v;
                    ++count;
                }
            return count ? std::optional<double>(sum / count) : std::nullopt;
        };
        bin.overall = average([](const DailyCoverage& d) { return d.overall; });
        for (std::size_t t = 0; t < tiers; ++t)
            if (const auto mean = average([t](const DailyCoverage& d) { return d.tier(t); })) bin.tier_means.emplace_back(t, *mean);
        out.push_back(std::move(bin));
    }
    return out;
}

// Every chart gives a tier the same colour: the one of its place among the report's tiers.
ChartSeries tier_series(const ProgressReport& r, std::size_t k) {
    return ChartSeries{r.tiers[k].id, r.tiers[k].name, series_colour_class(k)};
}

ChartSeries total_series() { return ChartSeries{"all", "All", std::string(kTotalColourClass)}; }

// "UTC", "UTC+01:00", "UTC−05:30".
std::string describe_offset(std::chrono::seconds offset) {
    if (offset.count() == 0) return "UTC";
    const long minutes = std::labs(static_cast<long>(offset.count() / 60));
    return fmt::format("UTC{}{:02}:{:02}", offset.count() < 0 ? "−" : "+", minutes / 60, minutes % 60);
}

// A small horizontal bar for a coverage, with a tick at the best one when given.
std::string meter(std::optional<double> value, std::optional<double> best = std::nullopt) {
    if (!value) return {};
    auto width = [](double v) { return fmt::format("{:.1f}%", std::clamp(v, 0.0, 1.0) * 100.0); };
    std::string label = fmt::format("{} covered", percent(value));
    if (best) label += fmt::format(", best {}", percent(best));
    std::string out = fmt::format("<span class=\"meter\" role=\"img\" aria-label=\"{}\"><span class=\"fill\" "
                                  "style=\"width: {}\"></span>",
                                  label, width(*value));
    if (best) out += fmt::format("<span class=\"best\" style=\"left: {}\"></span>", width(*best));
    out += "</span>";
    return out;
}

constexpr std::string_view kStyle = R"(:root { color-scheme: light dark; --bg: #ffffff; --fg: #111827; --muted: #4b5563;
  --rule: #e5e7eb; --head: #f3f4f6; --border: #d1d5db; --ink: #374151; --chip: #f3f4f6; }
@media screen and (prefers-color-scheme: dark) {
  :root { --bg: #111418; --fg: #e5e7eb; --muted: #9ca3af; --rule: #2d333b; --head: #1c2128; --border: #3d444d;
    --ink: #d1d5db; --chip: #21262d; }
}
* { box-sizing: border-box; }
body { background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  max-width: 1100px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.8rem; }
.meta, .muted, .note { color: var(--muted); }
.note { font-size: .9rem; margin: .2rem 0 .8rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: .5rem .8rem; min-width: 9.5rem; }
.card b { display: block; font-size: 1.35rem; }
.split { display: grid; grid-template-columns: minmax(0, 460px) minmax(0, 1fr); gap: 1.5rem 2rem; align-items: start; }
@media (max-width: 960px) { .split { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 600px) { td.name { white-space: normal; } th, td { padding: .25rem .35rem; } }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: baseline; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.when, td.name { white-space: nowrap; }
svg { max-width: 100%; height: auto; color: var(--fg); }
.meter { display: inline-block; position: relative; width: 6rem; height: .6rem; background: var(--rule);
  border-radius: 2px; vertical-align: middle; }
.meter .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--ink); border-radius: 2px; }
.meter .best { position: absolute; top: -.2rem; bottom: -.2rem; width: 2px; margin-left: -1px; background: var(--fg); }
ol.weak { list-style: none; padding: 0; margin: .5rem 0; }
ol.weak > li { border-bottom: 1px solid var(--rule); padding: .6rem 0 .7rem; }
.weak-head { display: grid; grid-template-columns: 8.5rem 10rem 12.5rem 1fr; align-items: baseline; gap: .2rem 1rem; }
@media (max-width: 760px) { .weak-head { display: flex; flex-wrap: wrap; } }
.qid { font-weight: 700; }
.tier { color: var(--muted); }
.cov { white-space: nowrap; font-variant-numeric: tabular-nums; }
.cov b { display: inline-block; min-width: 2.6rem; text-align: right; }
.due { white-space: nowrap; text-align: right; }
.missed { margin: .35rem 0 .1rem; }
.chip { display: inline-block; background: var(--chip); border: 1px solid var(--border); border-radius: 999px;
  padding: 0 .55rem; margin: .1rem .1rem; font-size: .88rem; }
.facts { font-size: .85rem; margin: .2rem 0; }
details { margin-top: .25rem; }
details summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
details[open] summary { white-space: normal; }
.hint { color: var(--muted); margin: .3rem 0 0 1rem; }
article.answer { border-bottom: 1px solid var(--rule); padding: .5rem 0 .7rem; }
article.answer h4 { margin: .2rem 0; font-size: 1rem; }
article.answer blockquote { white-space: pre-wrap; margin: .4rem 0; padding: .3rem .8rem; border-left: 3px solid var(--border); }
@media print {
  :root { color-scheme: light; --bg: #ffffff; --fg: #000000; --muted: #374151; --rule: #d1d5db; --head: #f3f4f6;
    --border: #9ca3af; --ink: #374151; --chip: #ffffff; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  ol.weak > li, tr, .card, svg, article.answer { break-inside: avoid; page-break-inside: avoid; }
  .split { grid-template-columns: minmax(0, 1fr); }
  details summary { white-space: normal; list-style: none; }
  details summary::-webkit-details-marker { display: none; }
  .meter .fill, .meter .best, .chart rect, .chart circle { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@media print { details::details-content { content-visibility: visible; display: block; } }
)";

std::string html_answers(const ProgressReport& r, const LocalTime& local, std::span<const SessionAnswers> answers) {
    const auto e = [](std::string_view text) { return xml_escape(text); };
    std::string out = "<section id=\"answers\">\n<h2>Answers</h2>\n";
    out += "<p class=\"note\">Each answer as it was typed, with the points it covered and missed, newest session "
           "first.</p>\n";
    for (const SessionAnswers& session : answers) {
        out += fmt::format("<h3><time datetime=\"{}\">Session of {}</time></h3>\n", e(format_utc(session.started_at)),
                           e(local.day_and_time(session.started_at)));
        for (const Attempt& a : session.attempts) {
            out += fmt::format("<article class=\"answer\"><h4><span class=\"qid\">{}</span> <span class=\"tier\">{}</span> "
                               "· {}</h4>\n",
                               e(a.question_id), e(tier_name(r, a.tier_id)), e(attempt_summary(a)));
            if (const QuestionProgress* q = find_question(r, a.question_id); q != nullptr && !q->text.empty())
                out += fmt::format("<details><summary>{}</summary></details>\n", e(q->text));
            if (!a.answer.empty()) out += fmt::format("<blockquote>{}</blockquote>\n", e(a.answer));
            if (a.outcome == Outcome::Answered || a.outcome == Outcome::TimedOut) {
                auto chips = [&](const std::vector<std::string>& labels) {
                    if (labels.empty()) return std::string("nothing");
                    std::string list;
                    for (const std::string& label : labels) list += fmt::format("<span class=\"chip\">{}</span>", e(label));
                    return list;
                };
                out += fmt::format("<p class=\"missed\">Covered: {}</p>\n<p class=\"missed\">Missed: {}</p>\n",
                                   chips(a.covered), chips(a.missed));
            }
            out += "</article>\n";
        }
    }
    out += "</section>\n";
    return out;
}

}  // namespace

std::string render_html(const ProgressReport& r, const LocalTime& local, std::span<const SessionAnswers> answers) {
    const auto e = [](std::string_view text) { return xml_escape(text); };
    const Date today = local.today();
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"color-scheme\" content=\"light dark\">\n";
    out += fmt::format("<title>Interview practice report {}</title>\n", e(format_date(r.today)));
    out += "<style>\n";
    out += kStyle;
    out += chart_palette_css();
    out += "</style>\n</head>\n<body>\n";
    out += "<header>\n<h1>Interview practice report</h1>\n";
    out += fmt::format("<p class=\"meta\">{} · generated {} {} · times in {} · filters: {}</p>\n</header>\n",
                       e(r.bank_title), e(format_date(r.today)),
                       e(format_time_of_day(local.now(), local.offset_at(local.now()))),
                       e(describe_offset(local.offset_at(local.now()))), e(describe_filter(r.filter)));

    out += "<section class=\"first\" id=\"summary\">\n<h2>Summary</h2>\n";
    if (r.empty()) {
        out += "<p>No attempts match. Practise with <code>ehrprep quiz</code>, then run this report again.</p>\n"
               "</section>\n</body>\n</html>\n";
        return out;
    }
    auto card = [&](std::string_view label, const std::string& value) {
        out += fmt::format("<div class=\"card\"><b>{}</b>{}</div>\n", e(value), e(label));
    };
    out += "<div class=\"cards\">\n";
    card("attempts", fmt::format("{}", r.overall.coverage.attempts));
    card("sessions", fmt::format("{}", r.sessions.size()));
    card("questions practised", fmt::format("{} of {}", r.overall.questions_practised, r.overall.questions_total));
    card("mean coverage", percent(r.overall.coverage.mean()));
    card("best coverage", percent(r.overall.coverage.best()));
    card("change (points)", points(r.overall.change));
    card("day streak", fmt::format("{}", r.current_streak_days));
    card("due for review", fmt::format("{}", r.reviews_due_now));
    out += "</div>\n";
    out += fmt::format("<p>{}. Streak: {}.</p>\n", e(outcome_summary(r.outcomes)), e(streak_summary(r)));
    out += "</section>\n";

    out += "<section id=\"tiers\">\n<h2>Coverage per tier</h2>\n<div class=\"split\">\n";
    std::vector<BarDatum> bars;
    for (std::size_t k = 0; k < r.tiers.size(); ++k) bars.push_back({tier_series(r, k), r.tiers[k].coverage.mean()});
    bars.push_back({total_series(), r.overall.coverage.mean()});
    out += svg_bar_chart(bars, "Mean coverage per tier");
    out += "<div class=\"table\"><table>\n<thead><tr><th>Tier</th><th class=\"num\">Practised</th><th class=\"num\">Attempts</th>"
           "<th class=\"num\">Mean</th><th class=\"num\">Best</th><th class=\"num\">Change</th></tr></thead>\n<tbody>\n";
    auto tier_row = [&](const TierProgress& t) {
        out += fmt::format("<tr><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                           "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                           e(t.name), e(practised(t)), t.coverage.attempts, percent(t.coverage.mean()),
                           percent(t.coverage.best()), points(t.change));
    };
    for (const TierProgress& t : r.tiers) tier_row(t);
    tier_row(r.overall);
    out += "</tbody>\n</table></div>\n</div>\n";
    out += "<p class=\"note\">Change: the mean coverage of the last three sessions minus that of the three before, in "
           "percentage points, once they span more than one day.</p>\n</section>\n";

    out += "<section id=\"over-time\">\n<h2>Coverage over time</h2>\n";
    const std::vector<DailyCoverage> daily = thin_out(r.daily, r.tiers.size());
    std::vector<std::string> x_labels;
    std::vector<LineSeries> series;
    for (std::size_t k = 0; k < r.tiers.size(); ++k) series.push_back({tier_series(r, k), {}});
    series.push_back({total_series(), {}, true});
    for (const DailyCoverage& d : daily) {
        x_labels.push_back(format_day(d.date, today));
        for (std::size_t t = 0; t < r.tiers.size(); ++t)
            series[t].values.push_back(d.tier(t));
        series.back().values.push_back(d.overall);
    }
    std::erase_if(series, [](const LineSeries& s) {
        return std::none_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.has_value(); });
    });
    out += svg_line_chart(x_labels, series, "Mean coverage per day");
    if (daily.size() < r.daily.size())
        out += fmt::format("<p class=\"note\">{} days of practice, averaged into {} points.</p>\n", r.daily.size(),
                           daily.size());
    out += "</section>\n";

    out += "<section id=\"weakest\">\n<h2>Weakest questions</h2>\n";
    if (r.weakest.empty()) {
        out += r.overall.coverage.scored == 0 ? "<p>No scored answers yet.</p>\n"
                                              : "<p>None: every question's latest answer was strong.</p>\n";
    } else {
        out += fmt::format("<p class=\"note\">Latest answer below {} (strong), lowest first. The bar shows the latest "
                           "coverage, the tick the best.</p>\n<ol class=\"weak\">\n",
                           percent(kStrongCoverage));
        for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) {
            const QuestionProgress& q = weakest_at(r, k);
            out += fmt::format("<li data-question=\"{}\" data-latest=\"{:.4f}\">\n<div class=\"weak-head\">"
                               "<span class=\"qid\">{}</span><span class=\"tier\">{}</span>",
                               e(q.id), q.latest_coverage.value_or(0.0), e(q.id), e(tier_name(r, q.tier_id)));
            out += fmt::format("<span class=\"cov\">{} <b>{}</b>", meter(q.latest_coverage, q.coverage.best()),
                               percent(q.latest_coverage));
            if (q.coverage.best() > q.latest_coverage)
                out += fmt::format(" <span class=\"muted\">best {}</span>", percent(q.coverage.best()));
            out += "</span>";
            if (q.review_due_at) {
                const Date due = local.date_of(*q.review_due_at);
                const bool now = *q.review_due_at <= local.now();
                out += fmt::format("<span class=\"due\">{} <time datetime=\"{}\">{}</time> <span class=\"muted\">({})"
                                   "</span></span>",
                                   now ? "Review due since" : "Review due", e(format_utc(*q.review_due_at)),
                                   e(format_day(due, today)), e(relative_day(due, today)));
            }
            out += "</div>\n<p class=\"missed\"><span class=\"muted\">Missed last time:</span> ";
            if (q.latest_missed.empty()) out += "nothing";
            for (const std::string& label : q.latest_missed)
                out += fmt::format("<span class=\"chip\">{}</span>", e(label));
            out += "</p>\n";
            // The bar and the due date above show these already.
            std::vector<std::string> facts;
            for (const QuestionField& field : question_fields()) {
                if (field.key == "latest_coverage" || field.key == "best_coverage" || field.key == "review_due")
                    continue;
                facts.push_back(fmt::format("{} {}", field.header, field.text(q, local)));
            }
            out += fmt::format("<p class=\"facts muted\">{}</p>\n", e(join(facts, " · ")));
            if (q.text.empty()) {
                out += "<p class=\"muted\">No longer in the bank.</p>\n";
            } else {
                out += fmt::format("<details><summary>{}</summary>", e(q.text));
                if (!q.hint.empty())
                    out += fmt::format("<p class=\"hint\">What a great answer covers: {}</p>", e(q.hint));
                out += "</details>\n";
            }
            out += "</li>\n";
        }
        out += "</ol>\n";
    }
    if (!r.most_missed.empty()) {
        out += "<h3>Concepts missed most often</h3>\n<div class=\"table\"><table>\n<thead><tr><th>Concept</th><th>Question</th>"
               "<th class=\"num\">Missed</th><th class=\"num\">Of scored attempts</th></tr></thead>\n<tbody>\n";
        for (std::size_t k = 0; k < std::min(kMissedInReports, r.most_missed.size()); ++k) {
            const ConceptMisses& c = r.most_missed[k];
            out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                               e(c.label), e(c.question_id), c.missed, c.scored_attempts);
        }
        out += "</tbody>\n</table></div>\n";
    }
    out += "</section>\n";

    out += "<section id=\"sessions\">\n<h2>Sessions</h2>\n";
    const std::size_t shown = std::min(kSessionsInReports, r.sessions.size());
    out += shown < r.sessions.size()
               ? fmt::format("<p class=\"note\">The last {} of {} sessions, newest first; the JSON and CSV reports list "
                             "them all.</p>\n",
                             shown, r.sessions.size())
               : std::string("<p class=\"note\">Newest first.</p>\n");
    out += "<div class=\"table\"><table class=\"sessions\">\n<thead><tr><th>Started</th><th class=\"num\">Attempts</th>"
           "<th>Mean coverage</th><th>Tiers</th></tr></thead>\n<tbody>\n";
    for (std::size_t k = 0; k < shown; ++k) {
        const SessionProgress& s = r.sessions[r.sessions.size() - 1 - k];
        std::vector<std::string> tiers;
        for (const std::string& id : s.tiers) tiers.push_back(tier_name(r, id));
        out += fmt::format("<tr><td class=\"when\"><time datetime=\"{}\">{}</time></td><td class=\"num\">{}</td>"
                           "<td class=\"cov\">{} <b>{}</b></td><td>{}</td></tr>\n",
                           e(format_utc(s.started_at)), e(local.day_and_time(s.started_at)), s.coverage.attempts,
                           meter(s.coverage.mean()), percent(s.coverage.mean()), e(join(tiers, ", ")));
    }
    out += "</tbody>\n</table></div>\n</section>\n";
    if (!answers.empty()) out += html_answers(r, local, answers);
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace ehrprep
