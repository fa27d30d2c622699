#include "ehrprep/report_html.hpp"

#include <catch2/catch.hpp>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::progress_bank;

namespace {

const char* const kScript = "<script>alert(1)</script>";
const char* const kImg = "\"><img src=x onerror=alert(1)>";

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
