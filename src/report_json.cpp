#include "ehrprep/report_json.hpp"

#include <algorithm>
#include <string_view>

#include "ehrprep/report_cells.hpp"

namespace ehrprep {
namespace {

// `value` as dump(2) writes it `depth` levels down in a document. Text that is not UTF-8 is
// written as U+FFFD rather than refused.
void append_value(std::string& out, const OrderedJson& value, int depth) {
    std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    // Strings cannot hold a raw newline once dumped, so every newline starts a line of layout.
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
        text.insert(at + 1, indent);
    out += text;
}

// The report's top-level object, written a member at a time: the sessions, which can number
// hundreds of thousands, are written one by one rather than built into a document first.
class TopLevelObject {
public:
    explicit TopLevelObject(std::string& out) : out_(out) { out_ += '{'; }

    void member(std::string_view key, const OrderedJson& value) {
        start(key);
        append_value(out_, value, 1);
    }

    template <typename Items, typename ToJson>
    void array_member(std::string_view key, const Items& items, ToJson to_json) {
        start(key);
        if (items.empty()) {
            out_ += "[]";
            return;
        }
        out_ += '[';
        bool first = true;
        for (const auto& item : items) {
            out_ += first ? "\n    " : ",\n    ";
            first = false;
            append_value(out_, to_json(item), 2);
        }
        out_ += "\n  ]";
    }

    void close() { out_ += first_ ? "}\n" : "\n}\n"; }

private:
    void start(std::string_view key) {
        out_ += first_ ? "\n  \"" : ",\n  \"";
        first_ = false;
        out_ += key;
        out_ += "\": ";
    }

    std::string& out_;
    bool first_ = true;
};

OrderedJson coverage_json(const CoverageStats& stats) {
    return OrderedJson{{"attempts", stats.attempts},
                       {"scored_attempts", stats.scored},
                       {"mean_coverage", json_fraction(stats.mean())},
                       {"best_coverage", json_fraction(stats.best())}};
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

}  // namespace

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

    OrderedJson daily = OrderedJson::array();
    for (const DailyCoverage& d : r.daily) {
        OrderedJson by_tier = OrderedJson::object();
        for (std::size_t t = 0; t < r.tiers.size() && t < d.tiers.size(); ++t)
            if (d.tiers[t]) by_tier[r.tiers[t].id] = json_fraction(d.tiers[t]);
        daily.push_back({{"date", format_date(d.date)}, {"mean_coverage", json_fraction(d.overall)}, {"tiers", by_tier}});
    }

    std::string out;
    TopLevelObject json(out);
    json.member("schema_version", kReportSchemaVersion);
    json.member("generated_on", format_date(r.today));
    json.member("bank", r.bank_title);
    json.member("filter", filter);
    json.member("summary", summary);
    json.member("tiers", tiers);
    json.member("questions", questions);
    json.member("weakest", weakest);
    json.member("most_missed_concepts", missed);
    json.array_member("sessions", r.sessions, [](const SessionProgress& s) {
        OrderedJson session{{"id", s.id}, {"started_at", format_utc(s.started_at)}, {"ended_at", format_utc(s.ended_at)}};
        session.update(coverage_json(s.coverage));
        session["tiers"] = s.tiers;
        return session;
    });
    json.member("daily", daily);
    json.close();
    return out;
}

}  // namespace ehrprep
