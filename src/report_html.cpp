#include "ehrprep/report_html.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ehrprep/report_cells.hpp"
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
        DailyCoverage bin{daily[start].date, std::nullopt, std::vector<std::optional<double>>(tiers)};
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
            bin.tiers[t] = average([t](const DailyCoverage& d) { return t < d.tiers.size() ? d.tiers[t] : std::nullopt; });
        out.push_back(std::move(bin));
    }
    return out;
}

}  // namespace

std::string render_html(const ProgressReport& r) {
    const auto e = [](std::string_view text) { return xml_escape(text); };
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<title>Interview practice report {}</title>\n", e(format_date(r.today)));
    out += R"(<style>
:root { color-scheme: light; }
body { background: #fff; color: #111; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #e5e7eb; padding-bottom: .2rem; margin-top: 2rem; }
.meta { color: #4b5563; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; }
.card { border: 1px solid #d1d5db; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.card b { display: block; font-size: 1.35rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.num, th.num { text-align: right; white-space: nowrap; }
.question { font-weight: 600; }
.hint, .small { color: #4b5563; font-size: .9rem; }
svg { max-width: 100%; height: auto; }
@media print {
  body { margin: 0; max-width: none; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  tr, .card, svg { break-inside: avoid; page-break-inside: avoid; }
}
</style>
</head>
<body>
)";
    out += "<h1>Interview practice report</h1>\n";
    out += fmt::format("<p class=\"meta\">{} · generated {} · filters: {}</p>\n", e(r.bank_title),
                       e(format_date(r.today)), e(describe_filter(r.filter)));

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

    out += "<section id=\"tiers\">\n<h2>Coverage per tier</h2>\n";
    std::vector<BarDatum> bars;
    for (const TierProgress& t : r.tiers) bars.push_back({t.name, t.coverage.mean()});
    bars.push_back({"All", r.overall.coverage.mean()});
    out += svg_bar_chart(bars, "Mean coverage per tier");
    out += "<table>\n<thead><tr><th>Tier</th><th class=\"num\">Practised</th><th class=\"num\">Attempts</th>"
           "<th class=\"num\">Mean</th><th class=\"num\">Best</th><th class=\"num\">Change (points)</th></tr></thead>\n<tbody>\n";
    auto tier_row = [&](const TierProgress& t) {
        out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                           "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                           e(t.name), e(practised(t)), t.coverage.attempts, percent(t.coverage.mean()),
                           percent(t.coverage.best()), points(t.change));
    };
    for (const TierProgress& t : r.tiers) tier_row(t);
    tier_row(r.overall);
    out += "</tbody>\n</table>\n</section>\n";

    out += "<section id=\"over-time\">\n<h2>Coverage over time</h2>\n";
    const std::vector<DailyCoverage> daily = thin_out(r.daily, r.tiers.size());
    std::vector<std::string> x_labels;
    std::vector<LineSeries> series(1, LineSeries{"All", {}});
    for (const TierProgress& t : r.tiers) series.push_back({t.name, {}});
    for (const DailyCoverage& d : daily) {
        x_labels.push_back(format_date(d.date));
        series[0].values.push_back(d.overall);
        for (std::size_t t = 0; t < r.tiers.size(); ++t)
            series[t + 1].values.push_back(t < d.tiers.size() ? d.tiers[t] : std::nullopt);
    }
    std::erase_if(series, [](const LineSeries& s) {
        return std::none_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.has_value(); });
    });
    out += svg_line_chart(x_labels, series, "Mean coverage per day");
    if (daily.size() < r.daily.size())
        out += fmt::format("<p class=\"small\">{} days of practice, averaged into {} points.</p>\n", r.daily.size(),
                           daily.size());
    out += "</section>\n";

    out += "<section id=\"weakest\">\n<h2>Weakest questions</h2>\n";
    if (r.weakest.empty()) out += "<p>No scored answers yet.</p>\n";
    if (!r.weakest.empty()) {
        out += "<table>\n<thead><tr><th>Question</th>";
        for (const QuestionField& field : question_fields())
            out += fmt::format("<th{}>{}</th>", field.numeric ? " class=\"num\"" : "", e(field.header));
        out += "<th>Missed last time</th></tr></thead>\n<tbody>\n";
        for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) {
            const QuestionProgress& q = weakest_at(r, k);
            out += fmt::format("<tr><td><span class=\"question\">{}</span> <span class=\"small\">({})</span>", e(q.id),
                               e(q.tier_id));
            if (!q.text.empty()) out += fmt::format("<br>{}", e(q.text));
            if (!q.hint.empty()) out += fmt::format("<br><span class=\"hint\">Hint: {}</span>", e(q.hint));
            out += "</td>";
            for (const QuestionField& field : question_fields())
                out += fmt::format("<td{}>{}</td>", field.numeric ? " class=\"num\"" : "", e(field.text(q)));
            out += fmt::format("<td>{}</td></tr>\n", q.latest_missed.empty() ? "nothing" : e(join(q.latest_missed, "; ")));
        }
        out += "</tbody>\n</table>\n";
    }
    if (!r.most_missed.empty()) {
        out += "<h3>Concepts missed most often</h3>\n<table>\n<thead><tr><th>Concept</th><th>Question</th>"
               "<th class=\"num\">Missed</th><th class=\"num\">Of scored attempts</th></tr></thead>\n<tbody>\n";
        for (std::size_t k = 0; k < std::min(kMissedInReports, r.most_missed.size()); ++k) {
            const ConceptMisses& c = r.most_missed[k];
            out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                               e(c.label), e(c.question_id), c.missed, c.scored_attempts);
        }
        out += "</tbody>\n</table>\n";
    }
    out += "</section>\n";

    out += "<section id=\"sessions\">\n<h2>Sessions</h2>\n";
    const std::size_t shown = std::min(kSessionsInReports, r.sessions.size());
    if (shown < r.sessions.size())
        out += fmt::format("<p class=\"small\">The last {} of {} sessions; the JSON and CSV reports list them all.</p>\n",
                           shown, r.sessions.size());
    out += "<table>\n<thead><tr><th>Started (UTC)</th><th>Session</th><th class=\"num\">Attempts</th>"
           "<th class=\"num\">Mean coverage</th><th>Tiers</th></tr></thead>\n<tbody>\n";
    for (std::size_t k = r.sessions.size() - shown; k < r.sessions.size(); ++k) {
        const SessionProgress& s = r.sessions[k];
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                           e(format_utc(s.started_at)), e(s.id), s.coverage.attempts, percent(s.coverage.mean()),
                           e(join(s.tiers, ", ")));
    }
    out += "</tbody>\n</table>\n</section>\n</body>\n</html>\n";
    return out;
}

}  // namespace ehrprep
