#include "ehrprep/report_markdown.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::progress_bank;

namespace {

const char* const kScript = "<script>alert(1)</script>";
const char* const kImg = "\"><img src=x onerror=alert(1)>";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

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
    const std::string md = render_markdown(build(bank, {a, b}));
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("\\<script\\>") != std::string::npos);
}

TEST_CASE("Markdown table cells cannot split on a pipe", "[report]") {
    QuestionBank bank = progress_bank();
    std::vector<Attempt> history = fixed_history();
    for (Attempt& a : history) a.session_id = "a|" + a.session_id;
    const std::string md = render_markdown(build(bank, history));
    std::size_t rows = 0;
    for (const std::string& line : lines_of(md)) {
        if (line.find("a\\|s") == std::string::npos) continue;
        ++rows;
        // Six unescaped pipes: the borders of a five-column row.
        std::size_t pipes = 0;
        for (std::size_t k = 0; k < line.size(); ++k)
            if (line[k] == '|' && (k == 0 || line[k - 1] != '\\')) ++pipes;
        CHECK(pipes == 6);
    }
    CHECK(rows == 5);  // one per session
}
