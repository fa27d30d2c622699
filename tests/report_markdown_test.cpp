#include "ehrprep/report_markdown.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::lines_of;
using ehrprep::test::fixed_local;
using ehrprep::test::progress_bank;

namespace {

const char* const kScript = "<script>alert(1)</script>";
const char* const kImg = "\"><img src=x onerror=alert(1)>";

}  // namespace

TEST_CASE("Markdown shows hostile text as text", "[report]") {
    // A custom bank and a hand-edited history can carry markup anywhere.
    QuestionBank bank("Bank " + std::string(kScript), {Tier{"t", std::string("Tier ") + kImg, 60}},
                      {Question{"q1", "t", std::string("Question ") + kScript, std::string("Hint ") + kImg,
                                {Concept{kImg, 1.0, {"x"}}}}});
    Attempt a{std::string("session ") + kImg, "q1", "t", Timestamp{std::chrono::seconds{1'773'000'000}}, 10, Outcome::Answered,
              0.2, {}, {kImg}, kScript};
    Attempt b = a;
    b.answer = kImg;
    const std::string md = render_markdown(build(bank, {a, b}), fixed_local());
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("\\<script\\>") != std::string::npos);
}

TEST_CASE("Markdown table cells cannot split on a pipe", "[report]") {
    QuestionBank bank = progress_bank();
    std::vector<Attempt> history = fixed_history();
    for (Attempt& a : history) {
        a.tier_id = "a|" + a.tier_id;
        a.question_id = "a|" + a.question_id;
        for (std::string& label : a.missed) label = "a|" + label;
    }
    const std::string md = render_markdown(build(bank, history), fixed_local());
    // Every row of a table has as many unescaped pipes as its header.
    std::size_t expected = 0;
    std::size_t rows_with_pipes = 0;
    for (const std::string& line : lines_of(md)) {
        if (line.empty() || line[0] != '|') {
            expected = 0;
            continue;
        }
        std::size_t pipes = 0;
        for (std::size_t k = 0; k < line.size(); ++k)
            if (line[k] == '|' && (k == 0 || line[k - 1] != '\\')) ++pipes;
        INFO(line);
        if (expected == 0) expected = pipes;
        CHECK(pipes == expected);
        if (line.find("a\\|") != std::string::npos) ++rows_with_pipes;
    }
    CHECK(rows_with_pipes >= 8);  // tiers, concepts and sessions
}

TEST_CASE("Markdown lists the sessions newest first, started in the user's time zone", "[report]") {
    ProgressFilter filter;
    filter.utc_offset = -std::chrono::hours{5};
    const std::string md =
        render_markdown(build(progress_bank(), fixed_history(), filter), fixed_local(-std::chrono::hours{5}));
    const auto newest = md.find("| Tue 10 Mar, 02:00 | 2 |");
    const auto oldest = md.find("| Sun 1 Mar, 04:00 | 3 |");
    REQUIRE(newest != std::string::npos);
    REQUIRE(oldest != std::string::npos);
    CHECK(newest < oldest);
    CHECK(md.find("T09:00:00Z") == std::string::npos);
}

TEST_CASE("Markdown with answers quotes each answer under its session with what it covered and missed",
          "[report]") {
    const QuestionBank bank = progress_bank();
    std::vector<Attempt> history = fixed_history();
    history[0].answer = "First line of my answer\n\nand a *second* paragraph";
    const ProgressReport report = build(bank, history);
    AnswerLogBuilder all(ProgressFilter{});
    for (const Attempt& a : history) all.add(a);
    const std::vector<SessionAnswers> answers = std::move(all).finish();

    CHECK(render_markdown(report, fixed_local()).find("## Answers") == std::string::npos);
    const std::string md = render_markdown(report, fixed_local(), answers);
    const auto at = md.find("## Answers");
    REQUIRE(at != std::string::npos);
    const std::string section = md.substr(at);
    // Newest session first: s5's answers come before s1's.
    CHECK(section.find("Answer to deep-1") < section.find("First line of my answer"));
    CHECK(section.find("> First line of my answer\n>\n> and a \\*second\\* paragraph\n") != std::string::npos);
    CHECK(section.find("#### basics-1 (Basics) · 50% · answered in 1:36") != std::string::npos);
    CHECK(section.find("- Covered: A\n- Missed: B\n") != std::string::npos);
    // A skipped question (the last of the oldest session) says so, without covered and missed
    // points it never had.
    const auto skipped = section.find("#### deep-1 (Deep Dive) · skipped");
    REQUIRE(skipped != std::string::npos);
    CHECK(section.find("- Covered:", skipped) == std::string::npos);
}
