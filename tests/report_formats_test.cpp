#include "ehrprep/report_formats.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "ehrprep/svg_chart.hpp"
#include "ehrprep/text_layout.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::check_golden;
using ehrprep::test::fixed_history;
using ehrprep::test::progress_bank;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string csv_of(const std::vector<Attempt>& attempts) {
    std::ostringstream out;
    CsvReportWriter writer(out);
    for (const Attempt& a : attempts) writer.add(a);
    writer.finish();
    return out.str();
}

const char* const kScript = "<script>alert(1)</script>";
const char* const kImg = "\"><img src=x onerror=alert(1)>";

}  // namespace

TEST_CASE("each format matches its golden file on the fixed history", "[report]") {
    const QuestionBank bank = progress_bank();
    const ProgressReport r = build(bank, fixed_history());
    check_golden("report.md", render_markdown(r));
    check_golden("report.json", render_json(r));
    check_golden("report.html", render_html(r));
    check_golden("report.csv", csv_of(fixed_history()));
    check_golden("stats.txt", render_stats_text(r, Style(false), 80, true));
    check_golden("stats-ascii.txt", render_stats_text(r, Style(false), 80, false));

    ProgressFilter filter;
    filter.tiers = {"deep"};
    filter.last_sessions = 3;
    check_golden("report-filtered.md", render_markdown(build(bank, fixed_history(), filter)));
    check_golden("report-empty.json", render_json(build(bank, {})));
}

TEST_CASE("the JSON report carries a schema version and every view", "[report]") {
    const auto json = nlohmann::json::parse(render_json(build(progress_bank(), fixed_history())));
    CHECK(json["schema_version"] == kReportSchemaVersion);
    CHECK(json["generated_on"] == "2026-03-10");
    CHECK(json["summary"]["attempts"] == 11);
    CHECK(json["summary"]["current_streak_days"] == 3);
    CHECK(json["tiers"].size() == 2);
    CHECK(json["weakest"][0] == "retired-9");
    CHECK(json["most_missed_concepts"][0]["concept"] == "D");
    CHECK(json["sessions"].size() == 5);
    CHECK(json["daily"].size() == 5);
    const auto& q = json["questions"][0];
    for (const char* key : {"id", "tier", "question", "hint", "latest_coverage", "mean_coverage", "best_coverage",
                            "attempts", "last_attempt_at", "latest_missed"})
        CHECK(q.contains(key));
    CHECK(json["filter"]["since"].is_null());
}

TEST_CASE("HTML shows hostile text as text", "[report]") {
    // A custom bank and a hand-edited history can carry markup anywhere.
    QuestionBank bank("Bank " + std::string(kScript), {Tier{"t", std::string("Tier ") + kImg, 60}},
                      {Question{"q1", "t", std::string("Question ") + kScript, std::string("Hint ") + kImg,
                                {Concept{kImg, 1.0, {"x"}}}}});
    Attempt a{std::string("session ") + kImg, "q1", "t", Timestamp{std::chrono::seconds{1'773'000'000}}, 10, Outcome::Answered,
              0.2, {}, {kImg}, kScript};
    Attempt b = a;
    b.answer = kImg;
    const std::string html = render_html(build(bank, {a, b}));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("onerror=alert(1)>") == std::string::npos);
    CHECK(html.find("Question &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    // Self-contained: nothing is fetched.
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);

    const std::string md = render_markdown(build(bank, {a, b}));
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("\\<script\\>") != std::string::npos);
}

TEST_CASE("Markdown table cells cannot split on a pipe", "[report]") {
    QuestionBank bank = progress_bank();
    std::vector<Attempt> history = fixed_history();
    for (Attempt& a : history) a.session_id = "a|b";
    const std::string md = render_markdown(build(bank, history));
    for (const std::string& line : lines_of(md)) {
        if (line.find("a\\|b") == std::string::npos) continue;
        // Six unescaped pipes: the borders of a five-column row.
        std::size_t pipes = 0;
        for (std::size_t k = 0; k < line.size(); ++k)
            if (line[k] == '|' && (k == 0 || line[k - 1] != '\\')) ++pipes;
        CHECK(pipes == 6);
    }
}

TEST_CASE("CSV quotes per RFC 4180 and neutralises formulas", "[report]") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("a,b") == "\"a,b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_cell("+1") == "'+1");
    CHECK(csv_cell("-2+3") == "'-2+3");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_cell("\tx") == "'\tx");
    CHECK(csv_cell("\rx") == "\"'\rx\"");
    CHECK(csv_cell("a=b") == "a=b");

    Attempt a = fixed_history().front();
    a.answer = "=cmd|' /C calc'!A0";
    const std::string csv = csv_of({a});
    const auto lines = lines_of(csv);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "session,question,tier,started_at,seconds,outcome,coverage,covered,missed,answer\r");
    CHECK(lines[1] == "s1,basics-1,basics,2026-03-01T09:00:00Z,95.5,answered,0.5000,A,B,'=cmd|' /C calc'!A0\r");
}

TEST_CASE("stats fits the width it is given", "[stats]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    for (std::size_t width : {30u, 40u, 50u, 64u, 80u, 100u}) {
        for (bool unicode : {true, false}) {
            const std::string text = render_stats_text(r, Style(true), width, unicode);
            for (const std::string& line : lines_of(text)) {
                INFO("width " << width << ": " << line);
                CHECK(display_width(line) <= width);
            }
        }
    }
    // The essentials survive narrowing: every tier and its mean.
    const std::string narrow = render_stats_text(r, Style(false), 40, true);
    CHECK(narrow.find("Deep Dive") != std::string::npos);
    CHECK(narrow.find("43%") != std::string::npos);
    CHECK(narrow.find("█") == std::string::npos);  // no room for bars
    CHECK(render_stats_text(r, Style(false), 80, true).find("█") != std::string::npos);
}

TEST_CASE("stats without a UTF-8 locale is plain ASCII, and uncoloured without a style", "[stats]") {
    const ProgressReport r = build(progress_bank(), fixed_history());
    const std::string ascii = render_stats_text(r, Style(false), 80, false);
    CHECK(std::all_of(ascii.begin(), ascii.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    CHECK(ascii.find('#') != std::string::npos);
    CHECK(ascii.find('\x1b') == std::string::npos);
    CHECK(render_stats_text(r, Style(true), 80, true).find("\x1b[") != std::string::npos);
}

TEST_CASE("a long practice history is drawn as a readable chart", "[report]") {
    std::vector<Attempt> history;
    Attempt a = fixed_history().front();
    for (int day = 0; day < 400; ++day) {
        a.session_id = "d" + std::to_string(day);
        a.started_at = Timestamp{std::chrono::seconds{1'700'000'000}} + std::chrono::days{day};
        a.coverage = (day % 10) / 10.0;
        history.push_back(a);
    }
    const std::string html = render_html(build(progress_bank(), history));
    CHECK(html.find("400 days of practice, averaged into") != std::string::npos);
    CHECK(html.size() < 200'000);
}
