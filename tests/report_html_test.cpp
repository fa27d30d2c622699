#include "ehrprep/report_html.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::fixed_local;
using ehrprep::test::kFixedNow;
using ehrprep::test::progress_bank;

namespace {

const char* const kScript = "<script>alert(1)</script>";
const char* const kImg = "\"><img src=x onerror=alert(1)>";

std::vector<std::string> matches(const std::string& text, const std::string& pattern) {
    const std::regex re(pattern);
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1].str());
    return out;
}

std::string section(const std::string& html, const std::string& id) {
    const auto start = html.find("<section id=\"" + id + "\"");
    REQUIRE(start != std::string::npos);
    return html.substr(start, html.find("</section>", start) - start);
}

}  // namespace

TEST_CASE("HTML shows hostile text as text", "[report]") {
    // A custom bank and a hand-edited history can carry markup anywhere.
    QuestionBank bank("Bank " + std::string(kScript), {Tier{"t", std::string("Tier ") + kImg, 60}},
                      {Question{"q1", "t", std::string("Question ") + kScript, std::string("Hint ") + kImg,
                                {Concept{kImg, 1.0, {"x"}}}}});
    Attempt a{std::string("session ") + kImg, "q1", "t", Timestamp{std::chrono::seconds{1'773'000'000}}, 10, Outcome::Answered,
              0.2, {}, {kImg}, kScript};
    Attempt b = a;
    b.answer = kImg;
    const std::string html = render_html(build(bank, {a, b}), fixed_local());
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("onerror=alert(1)>") == std::string::npos);
    CHECK(html.find("Question &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    // Self-contained: nothing is fetched.
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
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
    const std::string html = render_html(build(progress_bank(), history), fixed_local());
    CHECK(html.find("400 days of practice, averaged into") != std::string::npos);
    CHECK(html.size() < 200'000);
}

TEST_CASE("each tier has one colour in every HTML chart, and the total its own", "[report]") {
    const std::string html = render_html(build(progress_bank(), fixed_history()), fixed_local());
    std::map<std::string, std::set<std::string>> classes_of;
    std::map<std::string, int> charts_of;
    for (const char* id : {"tiers", "over-time"}) {
        const std::regex series(R"re(class="([^"]*)" data-series="([^"]*)")re");
        const std::string part = section(html, id);
        std::set<std::string> seen;
        for (auto it = std::sregex_iterator(part.begin(), part.end(), series); it != std::sregex_iterator(); ++it) {
            classes_of[(*it)[2].str()].insert((*it)[1].str());
            seen.insert((*it)[2].str());
        }
        for (const std::string& key : seen) ++charts_of[key];
    }
    CHECK(classes_of.size() == 3);  // basics, deep and all
    std::set<std::string> used;
    for (const auto& [key, classes] : classes_of) {
        INFO(key);
        CHECK(classes.size() == 1);
        CHECK(charts_of[key] == 2);
        used.insert(*classes.begin());
    }
    CHECK(used.size() == classes_of.size());
    CHECK(classes_of["all"] == std::set<std::string>{"c-all"});
    // Each line is named where it ends, so there is no legend to match colours against.
    CHECK(matches(section(html, "over-time"), R"re(class="end-label"[^>]*>([^<]*)<)re") ==
          std::vector<std::string>{"Basics", "Deep Dive", "All"});
}

TEST_CASE("the HTML weakest list leaves out strong answers and the sessions come newest first", "[report]") {
    const std::string html = render_html(build(progress_bank(), fixed_history()), fixed_local());
    const std::string weakest = section(html, "weakest");
    CHECK(matches(weakest, R"re(data-question="([^"]*)")re") == std::vector<std::string>{"retired-9", "deep-1"});
    for (const std::string& latest : matches(weakest, R"re(data-latest="([^"]*)")re")) CHECK(std::stod(latest) < 0.7);
    CHECK(weakest.find("<details><summary>Design a pipeline.</summary>") != std::string::npos);
    CHECK(weakest.find("No longer in the bank.") != std::string::npos);  // retired-9

    const std::vector<std::string> started = matches(section(html, "sessions"), R"re(<time datetime="([^"]*)")re");
    CHECK(started == std::vector<std::string>{"2026-03-10T07:00:00Z", "2026-03-09T08:00:00Z", "2026-03-08T20:00:00Z",
                                              "2026-03-02T09:00:00Z", "2026-03-01T09:00:00Z"});
    CHECK(section(html, "sessions").find(">s1<") == std::string::npos);  // dates, not session ids
}

TEST_CASE("the HTML report gives times in the user's time zone and in words", "[report]") {
    ProgressFilter filter;
    filter.utc_offset = std::chrono::hours{9};
    const std::string html =
        render_html(build(progress_bank(), fixed_history(), filter), fixed_local(std::chrono::hours{9}));
    CHECK(html.find("times in UTC+09:00") != std::string::npos);
    CHECK(html.find(">Tue 10 Mar, 16:00</time>") != std::string::npos);   // s5, at 07:00 UTC
    CHECK(html.find(">Mon 9 Mar, 05:00</time>") != std::string::npos);    // s3, at 20:00 UTC the day before
    CHECK(html.find(">Wed 11 Mar</time> <span class=\"muted\">(tomorrow)") != std::string::npos);
    // UTC times are for machines only: in attributes, never in the text.
    CHECK(matches(html, R"re(>[^<]*(\d{4}-\d\d-\d\dT\d\d:\d\d))re").empty());
    CHECK(fixed_local(-std::chrono::minutes{330}).offset_at(kFixedNow) == -std::chrono::minutes{330});
    CHECK(render_html(build(progress_bank(), fixed_history()), fixed_local(-std::chrono::minutes{330}))
              .find("times in UTC−05:30") != std::string::npos);
}

TEST_CASE("the HTML report has a dark palette and a print layout, and nothing to fetch or run", "[report]") {
    const std::string html = render_html(build(progress_bank(), fixed_history()), fixed_local());
    CHECK(html.find("@media screen and (prefers-color-scheme: dark)") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    CHECK(html.find("max-width: 1100px") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(matches(html, R"re((https?://[^"\s]*))re") == std::vector<std::string>(2, "http://www.w3.org/2000/svg"));
}

TEST_CASE("HTML with answers ends with each answer, escaped, and leaves them out otherwise", "[report]") {
    const QuestionBank bank = progress_bank();
    std::vector<Attempt> history = fixed_history();
    history.back().answer = "<script>alert(1)</script>\nsecond line";
    const ProgressReport report = build(bank, history);
    AnswerLogBuilder all(ProgressFilter{});
    for (const Attempt& a : history) all.add(a);
    const std::vector<SessionAnswers> answers = std::move(all).finish();

    CHECK(render_html(report, fixed_local()).find("id=\"answers\"") == std::string::npos);
    const std::string html = render_html(report, fixed_local(), answers);
    const auto at = html.find("<section id=\"answers\">");
    REQUIRE(at != std::string::npos);
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("<blockquote>&lt;script&gt;alert(1)&lt;/script&gt;\nsecond line</blockquote>", at) !=
          std::string::npos);
    std::size_t articles = 0;
    for (auto k = html.find("<article class=\"answer\">", at); k != std::string::npos;
         k = html.find("<article class=\"answer\">", k + 1))
        ++articles;
    CHECK(articles == history.size());
    CHECK(html.rfind("</section>\n</body>\n</html>\n") != std::string::npos);
}
