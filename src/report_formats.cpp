#include "ehrprep/report_formats.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/coverage_view.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/svg_chart.hpp"
#include "ehrprep/text_layout.hpp"

namespace ehrprep {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kWeakestInStats = 5;
constexpr std::size_t kMissedInStats = 5;
constexpr std::size_t kWeakestInReports = 10;
constexpr std::size_t kMissedInReports = 10;
constexpr std::size_t kSessionsInReports = 30;
constexpr std::size_t kMaxChartPoints = 90;

std::string percent(std::optional<double> value) {
    if (!value) return "-";
    return fmt::format("{}%", static_cast<int>(std::lround(*value * 100.0)));
}

// Percentage points, signed, so "+12" reads as an improvement of twelve points.
std::string points(std::optional<double> change) {
    if (!change) return "-";
    const long rounded = std::lround(*change * 100.0);
    return rounded == 0 ? "0" : fmt::format("{:+}", rounded);
}

double rounded(double value) { return std::round(value * 10000.0) / 10000.0; }

OrderedJson json_fraction(std::optional<double> value) { return value ? OrderedJson(rounded(*value)) : OrderedJson(); }

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string outcome_summary(const OutcomeCounts& o) {
    std::vector<std::string> parts;
    if (o.answered) parts.push_back(fmt::format("{} answered", o.answered));
    if (o.timed_out) parts.push_back(fmt::format("{} timed out", o.timed_out));
    if (o.skipped) parts.push_back(fmt::format("{} skipped", o.skipped));
    if (o.quit) parts.push_back(fmt::format("{} quit", o.quit));
    return join(parts, ", ");
}

std::string streak_summary(const ProgressReport& r) {
    if (!r.last_practised) return "no practice yet";
    const auto ago = (r.today - *r.last_practised).count();
    const std::string when = ago == 0 ? "today" : ago == 1 ? "yesterday" : fmt::format("{} days ago", ago);
    return fmt::format("{} day{} (longest {}) · last practised {} ({})", r.current_streak_days,
                       r.current_streak_days == 1 ? "" : "s", r.longest_streak_days, format_date(*r.last_practised),
                       when);
}

std::string practised(const TierProgress& t) {
    return t.questions_total > 0 ? fmt::format("{}/{}", t.questions_practised, t.questions_total)
                                 : fmt::format("{}", t.questions_practised);
}

// The per-question columns every format shows, in order. A new per-question field (a review
// due date, a recall probability) is one entry here plus its member in QuestionProgress.
struct QuestionField {
    std::string_view key;     // JSON
    std::string_view header;  // Markdown and HTML
    bool numeric;             // right-aligned in tables
    std::string (*text)(const QuestionProgress&);
    OrderedJson (*json)(const QuestionProgress&);
};

const std::vector<QuestionField>& question_fields() {
    static const std::vector<QuestionField> fields = {
        {"latest_coverage", "Latest", true, [](const QuestionProgress& q) { return percent(q.latest_coverage); },
         [](const QuestionProgress& q) { return json_fraction(q.latest_coverage); }},
        {"mean_coverage", "Mean", true, [](const QuestionProgress& q) { return percent(q.coverage.mean()); },
         [](const QuestionProgress& q) { return json_fraction(q.coverage.mean()); }},
        {"best_coverage", "Best", true,
         [](const QuestionProgress& q) { return q.coverage.scored ? percent(q.coverage.best) : std::string("-"); },
         [](const QuestionProgress& q) {
             return q.coverage.scored ? OrderedJson(rounded(q.coverage.best)) : OrderedJson();
         }},
        {"attempts", "Attempts", true, [](const QuestionProgress& q) { return fmt::format("{}", q.coverage.attempts); },
         [](const QuestionProgress& q) { return OrderedJson(q.coverage.attempts); }},
        {"review_due", "Review due (UTC)", false,
         [](const QuestionProgress& q) { return q.review_due_at ? format_utc(*q.review_due_at) : std::string("-"); },
         [](const QuestionProgress& q) {
             return q.review_due_at ? OrderedJson(format_utc(*q.review_due_at)) : OrderedJson();
         }},
        {"retrievability", "Recall now", true, [](const QuestionProgress& q) { return percent(q.retrievability); },
         [](const QuestionProgress& q) { return json_fraction(q.retrievability); }},
        {"last_attempt_at", "Last attempt (UTC)", false,
         [](const QuestionProgress& q) { return q.last_attempt_at ? format_utc(*q.last_attempt_at) : std::string("-"); },
         [](const QuestionProgress& q) {
             return q.last_attempt_at ? OrderedJson(format_utc(*q.last_attempt_at)) : OrderedJson();
         }},
    };
    return fields;
}

OrderedJson coverage_json(const CoverageStats& stats) {
    return OrderedJson{{"attempts", stats.attempts},
                       {"scored_attempts", stats.scored},
                       {"mean_coverage", json_fraction(stats.mean())},
                       {"best_coverage", stats.scored ? OrderedJson(rounded(stats.best)) : OrderedJson()}};
}

OrderedJson tier_json(const TierProgress& t) {
    OrderedJson json{{"id", t.id},
                     {"name", t.name},
                     {"questions_practised", t.questions_practised},
                     {"questions_total", t.questions_total}};
    json.update(coverage_json(t.coverage));
    json["change"] = json_fraction(t.change);
    return json;
}

// Markdown: backslash-escape what would otherwise format, and keep each value on one line so
// it cannot end a table row or start a heading.
std::string md_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t') {
            out.push_back(' ');
            continue;
        }
        if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

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

const QuestionProgress& weakest_at(const ProgressReport& r, std::size_t k) { return r.questions[r.weakest[k]]; }

}  // namespace

Result<ReportFormat> parse_report_format(std::string_view text) {
    if (text == "md" || text == "markdown") return ReportFormat::Markdown;
    if (text == "csv") return ReportFormat::Csv;
    if (text == "json") return ReportFormat::Json;
    if (text == "html") return ReportFormat::Html;
    return Error{fmt::format("--format must be md, csv, json or html, not '{}'", text)};
}

std::string describe_filter(const ProgressFilter& filter) {
    std::vector<std::string> parts;
    if (!filter.tiers.empty()) parts.push_back(fmt::format("tier {}", join(filter.tiers, ", ")));
    if (filter.since) parts.push_back(fmt::format("since {}", format_date(*filter.since)));
    if (filter.last_sessions)
        parts.push_back(fmt::format("last {} session{}", *filter.last_sessions, *filter.last_sessions == 1 ? "" : "s"));
    return parts.empty() ? "none" : join(parts, "; ");
}

// ---------------------------------------------------------------------------------------------
// stats

std::string render_stats_text(const ProgressReport& r, const Style& style, std::size_t width, bool unicode) {
    width = std::max<std::size_t>(width, 20);
    const std::string_view dash = unicode ? "—" : "-";
    std::vector<std::string> lines;
    lines.push_back(style.bold(fmt::format("Progress {} {}", dash, r.bank_title)));
    if (!r.filter.empty()) lines.push_back(style.dim("Filters: " + describe_filter(r.filter)));
    lines.emplace_back();

    // Columns drop out, least useful first, until the table fits.
    struct Column {
        std::string header;
        std::size_t width;
        int drop_order;  // higher goes first; 0 never
        bool shown = true;
    };
    std::size_t name_width = 4;
    for (const TierProgress& t : r.tiers) name_width = std::max(name_width, display_width(t.name));
    name_width = std::min<std::size_t>(name_width, 22);
    std::vector<Column> columns = {{"TIER", name_width, 0},   {"PRACTISED", 9, 2}, {"ATTEMPTS", 8, 4},
                                   {"MEAN", 4, 0},             {"BEST", 4, 5},      {"CHANGE", 6, 3}};
    auto fixed_width = [&] {
        std::size_t total = 0;
        for (const Column& c : columns)
            if (c.shown) total += c.width + (total ? 2 : 0);
        return total;
    };
    for (;;) {
        if (fixed_width() <= width) break;
        auto next = std::max_element(columns.begin(), columns.end(), [](const Column& a, const Column& b) {
            return (a.shown ? a.drop_order : -1) < (b.shown ? b.drop_order : -1);
        });
        if (!next->shown || next->drop_order == 0) break;
        next->shown = false;
    }
    if (fixed_width() > width) columns[0].width = std::max<std::size_t>(4, columns[0].width - (fixed_width() - width));
    const std::size_t used = fixed_width();
    const std::size_t bar_width = used + 2 < width ? std::min<std::size_t>(width - used - 2, 30) : 0;
    const bool show_bar = bar_width >= 5;

    auto row = [&](const std::vector<std::string>& cells, const std::string& bar) {
        std::string line;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            if (!columns[k].shown) continue;
            if (!line.empty()) line += "  ";
            const std::string cell = truncate_to_width(cells[k], columns[k].width, !unicode);
            const std::string pad(columns[k].width - display_width(cell), ' ');
            line += k == 0 ? cell + pad : pad + cell;
        }
        if (show_bar) line += "  " + bar;
        return line;
    };
    std::vector<std::string> headers;
    for (const Column& c : columns) headers.push_back(c.header);
    std::string header_line = row(headers, "COVERAGE");
    while (!header_line.empty() && header_line.back() == ' ') header_line.pop_back();
    lines.push_back(style.bold(header_line));
    auto tier_row = [&](const TierProgress& t) {
        const auto mean = t.coverage.mean();
        std::string bar = show_bar && mean ? coverage_bar(*mean, bar_width, unicode) : "";
        std::string line = row({t.name, practised(t), fmt::format("{}", t.coverage.attempts), percent(mean),
                                t.coverage.scored ? percent(t.coverage.best) : "-", points(t.change)},
                               bar);
        if (!mean) return line;
        switch (band_for(*mean)) {
            case Band::Strong: return style.green(line);
            case Band::Partial: return style.yellow(line);
            case Band::NeedsWork: return style.red(line);
        }
        return line;
    };
    for (const TierProgress& t : r.tiers) lines.push_back(tier_row(t));
    if (r.tiers.size() != 1) lines.push_back(style.bold(tier_row(r.overall)));

    if (!r.weakest.empty()) {
        lines.emplace_back();
        lines.push_back(style.bold("Weakest questions (latest coverage)"));
        const std::size_t shown = std::min(kWeakestInStats, r.weakest.size());
        std::size_t id_width = 0;
        for (std::size_t k = 0; k < shown; ++k) id_width = std::max(id_width, display_width(weakest_at(r, k).id));
        for (std::size_t k = 0; k < shown; ++k) {
            const QuestionProgress& q = weakest_at(r, k);
            std::string line = fmt::format("  {:>4}  {}", percent(q.latest_coverage), pad_to_width(q.id, id_width));
            if (!q.text.empty()) line += "  " + style.dim(q.text);
            lines.push_back(std::move(line));
        }
    }
    if (!r.most_missed.empty()) {
        lines.emplace_back();
        lines.push_back(style.bold("Concepts missed most often"));
        for (std::size_t k = 0; k < std::min(kMissedInStats, r.most_missed.size()); ++k) {
            const ConceptMisses& c = r.most_missed[k];
            lines.push_back(fmt::format("  {:>3} of {:<3} {}  {}", c.missed, c.scored_attempts, c.label,
                                        style.dim("(" + c.question_id + ")")));
        }
    }
    std::vector<const QuestionProgress*> scheduled;
    for (const QuestionProgress& q : r.questions)
        if (q.review_due_at) scheduled.push_back(&q);
    if (!scheduled.empty()) {
        std::stable_sort(scheduled.begin(), scheduled.end(),
                         [](const auto* a, const auto* b) { return *a->review_due_at < *b->review_due_at; });
        lines.emplace_back();
        lines.push_back(style.bold("Spaced review (recall now · due)"));
        const std::size_t shown = std::min(kWeakestInStats, scheduled.size());
        std::size_t id_width = 0;
        for (std::size_t k = 0; k < shown; ++k) id_width = std::max(id_width, display_width(scheduled[k]->id));
        for (std::size_t k = 0; k < shown; ++k) {
            const QuestionProgress& q = *scheduled[k];
            const Date due = local_date(*q.review_due_at, r.filter.utc_offset);
            const std::string when = due <= r.today ? "due now" : format_date(due);
            std::string line = fmt::format("  {:>4}  {:<10}  {}", percent(q.retrievability),
                                           due <= r.today ? style.yellow(when) + std::string(10 - when.size(), ' ') : when,
                                           pad_to_width(q.id, id_width));
            if (!q.text.empty()) line += "  " + style.dim(q.text);
            lines.push_back(std::move(line));
        }
        if (r.reviews_due_now > 0)
            lines.push_back(fmt::format("  {} due now: ehrprep quiz --review", r.reviews_due_now));
    }
    lines.emplace_back();
    lines.push_back(fmt::format("Sessions {} · attempts {} ({})", r.sessions.size(), r.overall.coverage.attempts,
                                outcome_summary(r.outcomes)));
    lines.push_back("Streak " + streak_summary(r));

    std::string out;
    for (std::string& line : lines) {
        if (!unicode) {
            for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"·", "|"}, {"—", "-"}}) {
                for (auto at = line.find(from); at != std::string::npos; at = line.find(from))
                    line.replace(at, from.size(), to);
            }
        }
        if (display_width(line) > width) line = truncate_to_width(line, width, !unicode) + (style.enabled() ? "\x1b[0m" : "");
        out += line;
        out += '\n';
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

std::string render_markdown(const ProgressReport& r) {
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
                       percent(r.overall.coverage.mean()),
                       r.overall.coverage.scored ? percent(r.overall.coverage.best) : "-", points(r.overall.change));
    out += fmt::format("- Streak: {}\n", streak_summary(r));
    out += fmt::format("- Due for spaced review now: {} question{}\n\n", r.reviews_due_now,
                       r.reviews_due_now == 1 ? "" : "s");

    out += "## Coverage per tier\n\n";
    out += "| Tier | Practised | Attempts | Mean | Best | Change (points) |\n";
    out += "|:-----|----------:|---------:|-----:|-----:|----------------:|\n";
    auto tier_line = [&](const TierProgress& t, bool bold) {
        const std::string name = bold ? "**" + md_escape(t.name) + "**" : md_escape(t.name);
        return fmt::format("| {} | {} | {} | {} | {} | {} |\n", name, practised(t), t.coverage.attempts,
                           percent(t.coverage.mean()), t.coverage.scored ? percent(t.coverage.best) : "-",
                           md_escape(points(t.change)));
    };
    for (const TierProgress& t : r.tiers) out += tier_line(t, false);
    out += tier_line(r.overall, true);
    out += '\n';

    out += "## Weakest questions\n\n";
    if (r.weakest.empty()) out += "No scored answers yet.\n\n";
    for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) {
        const QuestionProgress& q = weakest_at(r, k);
        out += fmt::format("### {}. {} ({})\n\n", k + 1, md_escape(q.id), md_escape(q.tier_id));
        if (!q.text.empty()) out += fmt::format("> {}\n\n", md_escape(q.text));
        std::vector<std::string> facts;
        for (const QuestionField& field : question_fields())
            facts.push_back(fmt::format("{}: {}", field.header, md_escape(field.text(q))));
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
        out += fmt::format("The last {} of {} sessions; the JSON and CSV reports list them all.\n\n", shown,
                           r.sessions.size());
    out += "| Started (UTC) | Session | Attempts | Mean coverage | Tiers |\n";
    out += "|:--------------|:--------|---------:|--------------:|:------|\n";
    for (std::size_t k = r.sessions.size() - shown; k < r.sessions.size(); ++k) {
        const SessionProgress& s = r.sessions[k];
        out += fmt::format("| {} | {} | {} | {} | {} |\n", format_utc(s.started_at), md_escape(s.id), s.coverage.attempts,
                           percent(s.coverage.mean()), md_escape(join(s.tiers, ", ")));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

std::string render_json(const ProgressReport& r) {
    OrderedJson filter{{"tiers", r.filter.tiers},
                       {"since", r.filter.since ? OrderedJson(format_date(*r.filter.since)) : OrderedJson()},
                       {"last_sessions", r.filter.last_sessions ? OrderedJson(*r.filter.last_sessions) : OrderedJson()}};
    OrderedJson summary{{"sessions", r.sessions.size()},
                        {"outcomes",
                         {{"answered", r.outcomes.answered},
                          {"timed_out", r.outcomes.timed_out},
                          {"skipped", r.outcomes.skipped},
                          {"quit", r.outcomes.quit}}}};
    summary.update(tier_json(r.overall));
    summary.erase("id");
    summary.erase("name");
    summary["current_streak_days"] = r.current_streak_days;
    summary["longest_streak_days"] = r.longest_streak_days;
    summary["last_practised"] = r.last_practised ? OrderedJson(format_date(*r.last_practised)) : OrderedJson();
    summary["reviews_due_now"] = r.reviews_due_now;

    OrderedJson tiers = OrderedJson::array();
    for (const TierProgress& t : r.tiers) tiers.push_back(tier_json(t));

    OrderedJson questions = OrderedJson::array();
    for (const QuestionProgress& q : r.questions) {
        OrderedJson json{{"id", q.id}, {"tier", q.tier_id}, {"in_bank", q.in_bank}, {"question", q.text}, {"hint", q.hint}};
        json["scored_attempts"] = q.coverage.scored;
        for (const QuestionField& field : question_fields()) json[std::string(field.key)] = field.json(q);
        json["latest_missed"] = q.latest_missed;
        questions.push_back(std::move(json));
    }
    OrderedJson weakest = OrderedJson::array();
    for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) weakest.push_back(weakest_at(r, k).id);

    OrderedJson missed = OrderedJson::array();
    for (const ConceptMisses& c : r.most_missed)
        missed.push_back(
            {{"concept", c.label}, {"question", c.question_id}, {"missed", c.missed}, {"scored_attempts", c.scored_attempts}});

    // Sessions can number hundreds of thousands: they are written straight out below rather
    // than built as a document first.
    std::string sessions = "[";
    for (const SessionProgress& s : r.sessions) {
        OrderedJson json{{"id", s.id}, {"started_at", format_utc(s.started_at)}, {"ended_at", format_utc(s.ended_at)}};
        json.update(coverage_json(s.coverage));
        json["tiers"] = s.tiers;
        std::string text = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
            text.insert(at + 1, "    ");
        sessions += sessions.size() == 1 ? "\n    " : ",\n    ";
        sessions += text;
    }
    sessions += sessions.size() == 1 ? "]" : "\n  ]";
    OrderedJson daily = OrderedJson::array();
    for (const DailyCoverage& d : r.daily) {
        OrderedJson by_tier = OrderedJson::object();
        for (std::size_t t = 0; t < r.tiers.size() && t < d.tiers.size(); ++t)
            if (d.tiers[t]) by_tier[r.tiers[t].id] = rounded(*d.tiers[t]);
        daily.push_back({{"date", format_date(d.date)}, {"mean_coverage", json_fraction(d.overall)}, {"tiers", by_tier}});
    }

    OrderedJson json{{"schema_version", kReportSchemaVersion},
                     {"generated_on", format_date(r.today)},
                     {"bank", r.bank_title},
                     {"filter", filter},
                     {"summary", summary},
                     {"tiers", tiers},
                     {"questions", questions},
                     {"weakest", weakest},
                     {"most_missed_concepts", missed},
                     {"sessions", nullptr},
                     {"daily", daily}};
    std::string out = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const std::string_view placeholder = "\n  \"sessions\": null,";
    const auto at = out.find(placeholder);
    out.replace(at, placeholder.size(), "\n  \"sessions\": " + sessions + ",");
    return out;
}

// ---------------------------------------------------------------------------------------------
// HTML

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
    card("best coverage", r.overall.coverage.scored ? percent(r.overall.coverage.best) : "-");
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
                           t.coverage.scored ? percent(t.coverage.best) : "-", points(t.change));
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

// ---------------------------------------------------------------------------------------------
// CSV

std::string csv_cell(std::string_view text) {
    std::string cell;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell.push_back('\'');
    cell.append(text);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

namespace {

constexpr std::string_view kCsvHeader =
    "session,question,tier,started_at,seconds,outcome,coverage,covered,missed,answer\r\n";

std::string csv_row(const Attempt& a) {
    std::string row;
    for (const std::string& cell :
         {csv_cell(a.session_id), csv_cell(a.question_id), csv_cell(a.tier_id), format_utc(a.started_at),
          fmt::format("{:.1f}", a.seconds), std::string(outcome_name(a.outcome)), fmt::format("{:.4f}", a.coverage),
          csv_cell(join(a.covered, "; ")), csv_cell(join(a.missed, "; ")), csv_cell(a.answer)}) {
        if (!row.empty()) row.push_back(',');
        row += cell;
    }
    row += "\r\n";
    return row;
}

}  // namespace

CsvReportWriter::CsvReportWriter(std::ostream& out) : out_(out) { out_ << kCsvHeader; }

void CsvReportWriter::add(const Attempt& attempt) { out_ << csv_row(attempt); }

void CsvReportWriter::finish() { out_.flush(); }

}  // namespace ehrprep
