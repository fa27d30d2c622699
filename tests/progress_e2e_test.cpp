// The real binary: argument parsing, exit statuses, files on disk, and the HTML in a browser.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/quiz_session.hpp"
#include "ehrprep/text_layout.hpp"
#include "support/process.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using namespace ehrprep::test;

namespace {

struct Setup {
    Setup() {
        dir.write("bank.json", progress_bank_json());
        std::filesystem::create_directories(dir.file("data"));
    }
    void history(const std::string& jsonl) const { dir.write("data/history.jsonl", jsonl); }
    ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        args.insert(args.begin(), {"--bank", dir.file("bank.json"), "--data-dir", dir.file("data")});
        return run_ehrprep(args, {}, env);
    }
    TempDir dir;
};

}  // namespace

TEST_CASE("ehrprep stats with no history says how to start and succeeds", "[stats]") {
    Setup s;
    ProcessResult r = s.run({"stats"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("No practice history yet") != std::string::npos);
    CHECK(r.err.empty());
}

TEST_CASE("ehrprep stats rejects bad options with exit 2", "[stats]") {
    Setup s;
    for (const auto& [args, expected] :
         std::vector<std::pair<std::vector<std::string>, std::string>>{{{"stats", "--since", "yesterday"}, "--since"},
                                                                      {{"stats", "--last", "0"}, "--last"},
                                                                      {{"stats", "--tier", "nope"}, "nope"},
                                                                      {{"report", "--format", "pdf"}, "--format"}}) {
        ProcessResult r = s.run(args);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(expected) != std::string::npos);
    }
    CHECK(s.run({"stats", "--version"}).out.find("ehrprep ") == 0);
    CHECK(s.run({"report", "--version"}).exit_code == 0);
}

TEST_CASE("ehrprep stats fits COLUMNS and drops to ASCII outside UTF-8", "[stats]") {
    Setup s;
    s.history(to_jsonl(fixed_history()));
    ProcessResult narrow = s.run({"stats"}, {{"COLUMNS", "42"}, {"LANG", "en_US.UTF-8"}});
    REQUIRE(narrow.exit_code == 0);
    std::istringstream lines(narrow.out);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(display_width(line) <= 42);
    }
    ProcessResult ascii = s.run({"stats"}, {{"LANG", "C"}});
    REQUIRE(ascii.exit_code == 0);
    CHECK(std::all_of(ascii.out.begin(), ascii.out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    CHECK(ascii.out.find("Deep Dive") != std::string::npos);
}

TEST_CASE("ehrprep stats warns about corrupt history lines by file and line", "[stats]") {
    Setup s;
    s.history(to_jsonl(fixed_history()) + "{\"schema_version\": 1, \"sess\n");
    ProcessResult r = s.run({"stats"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find(s.dir.file("data/history.jsonl") + ":12: skipped") != std::string::npos);
    CHECK(r.out.find("attempts 11") != std::string::npos);
}

TEST_CASE("ehrprep stats and report count each session of a long history once, whatever its session ids", "[stats]") {
    // More sessions than stats and report keep open while reading, so they fold the oldest. A folded
    // session that comes back, or ids that do not sort by start, make it read the history again.
    const Attempt model = fixed_history().front();
    const std::size_t sessions = 5 * kSessionWindow;  // more than twice the window in each half
    const Timestamp first_start = parse_utc("2025-06-01T08:00:00Z").value();
    std::vector<Attempt> ordered;
    for (std::size_t k = 0; k < sessions; ++k) {
        Attempt a = model;
        a.started_at = first_start + std::chrono::hours{5 * k};
        a.session_id = make_session_id(a.started_at, k);
        ordered.push_back(a);
    }
    std::vector<Attempt> returning = ordered;
    returning.push_back(ordered.front());
    returning.back().started_at = ordered.back().started_at + std::chrono::hours{1};
    std::vector<Attempt> unsorted = ordered;
    for (std::size_t k = 0; k < sessions; ++k) unsorted[k].session_id = "s" + std::to_string(k);  // "s10" < "s9"

    Setup s;
    for (const auto* history : {&ordered, &returning, &unsorted}) {
        // A torn line is warned about once, though the history may be read twice.
        s.history(to_jsonl(*history) + "{\"schema_version\": 1, \"sess\n");
        // --last chooses its sessions in a reading of its own, through the same window.
        for (const auto& [args, counts] : std::vector<std::pair<std::vector<std::string>, std::string>>{
                 {{"stats"}, fmt::format("Sessions {} · attempts {} ", sessions, history->size())},
                 {{"stats", "--last", "3"}, "Sessions 3 · attempts 3 "}}) {
            ProcessResult r = s.run(args, {{"LC_ALL", "C.UTF-8"}});
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(r.out.find(counts) != std::string::npos);
            const std::string warning =
                s.dir.file("data/history.jsonl") + fmt::format(":{}: skipped", history->size() + 1);
            const std::size_t first = r.err.find(warning);
            CHECK(first != std::string::npos);
            CHECK(r.err.find(warning, first + 1) == std::string::npos);
        }

        // A report folds sessions the same way, and lists every one of them by start.
        ProcessResult r = s.run({"report", "--format", "json"}, {{"TZ", "UTC"}});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        const auto report = nlohmann::json::parse(r.out);
        const auto& listed = report["sessions"];
        REQUIRE(listed.size() == sessions);
        std::set<std::string> days;
        for (std::size_t k = 0; k < sessions; ++k) {
            const Attempt& first_attempt = (*history)[k];
            CAPTURE(k);
            REQUIRE(listed[k]["id"] == first_attempt.session_id);
            REQUIRE(listed[k]["started_at"] == format_utc(first_attempt.started_at));
            days.insert(format_utc(first_attempt.started_at).substr(0, 10));
        }
        const bool came_back = history == &returning;
        CHECK(listed[0]["attempts"] == (came_back ? 2 : 1));
        CHECK(listed[0]["ended_at"] == format_utc((came_back ? history->back() : history->front()).started_at));
        CHECK(report["summary"]["attempts"] == history->size());
        CHECK(report["daily"].size() == days.size());

        // CSV rows stream in history order, from the sessions --last chooses the same way.
        ProcessResult csv = s.run({"report", "--format", "csv", "--last", "3"}, {{"TZ", "UTC"}});
        REQUIRE(csv.exit_code == 0);
        std::set<std::string> listed_ids;
        std::istringstream rows(csv.out);
        std::string row;
        std::getline(rows, row);  // the header
        while (std::getline(rows, row)) listed_ids.insert(row.substr(0, row.find(',')));
        std::set<std::string> last_three;
        for (std::size_t k = sessions - 3; k < sessions; ++k) last_three.insert((*history)[k].session_id);
        CHECK(listed_ids == last_three);
    }
}

TEST_CASE("ehrprep report -o writes the file, and --no-clobber keeps an old one", "[report]") {
    Setup s;
    s.history(to_jsonl(fixed_history()));
    const std::string out = s.dir.file("report.json");
    ProcessResult r = s.run({"report", "--format", "json", "-o", out, "--since", "2026-03-09"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    const auto json = nlohmann::json::parse(read_text_file(out));
    CHECK(json["filter"]["since"] == "2026-03-09");
    CHECK(json["summary"]["attempts"] == 4);

    s.dir.write("keep.md", "my old report");
    ProcessResult refused = s.run({"report", "-o", s.dir.file("keep.md"), "--no-clobber"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("already exists") != std::string::npos);
    CHECK(read_text_file(s.dir.file("keep.md")) == "my old report");

    ProcessResult missing_dir = s.run({"report", "-o", s.dir.file("no/such/dir/report.md")});
    CHECK(missing_dir.exit_code == 1);
    CHECK_FALSE(std::filesystem::exists(s.dir.file("no")));
    for (const auto& entry : std::filesystem::directory_iterator(s.dir.path()))
        CHECK(entry.path().extension() != ".tmp");  // no temporary file left behind
}

TEST_CASE("ehrprep report --with-answers adds the answers to md and html only when asked", "[report]") {
    Setup s;
    s.history(to_jsonl(fixed_history()));
    ProcessResult plain = s.run({"report"});
    REQUIRE(plain.exit_code == 0);
    CHECK(plain.out.find("Answer to basics-1") == std::string::npos);

    ProcessResult md = s.run({"report", "--with-answers", "--last", "1"});
    REQUIRE(md.exit_code == 0);
    CHECK(md.out.find("## Answers") != std::string::npos);
    CHECK(md.out.find("> Answer to deep-1") != std::string::npos);
    CHECK(md.out.find("Answer to basics-1") == std::string::npos);  // not in the last session

    ProcessResult html = s.run({"report", "--with-answers", "--format", "html", "-o", s.dir.file("r.html")});
    REQUIRE(html.exit_code == 0);
    CHECK(read_text_file(s.dir.file("r.html")).find("<blockquote>Answer to basics-1</blockquote>") != std::string::npos);

    for (const char* format : {"csv", "json"}) {
        ProcessResult refused = s.run({"report", "--with-answers", "--format", format});
        CHECK(refused.exit_code == 2);
        CHECK(refused.err.find("--with-answers is for md and html reports") != std::string::npos);
    }
}

TEST_CASE("ehrprep report --format csv streams rows with formulas neutralised", "[report]") {
    Setup s;
    std::vector<Attempt> history = fixed_history();
    history[0].answer = "=HYPERLINK(\"http://evil\",\"click\")";
    s.history(to_jsonl(history));
    ProcessResult r = s.run({"report", "--format", "csv", "--last", "5"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("session,question,tier,started_at,", 0) == 0);
    CHECK(r.out.find(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"\r\n") != std::string::npos);
}

namespace {

// Gathers what a reader of the rendered report would notice, from the layout the browser made
// of it, into a <pre id="facts"> for --dump-dom to carry out. It goes into a copy of the report
// made for the test: the report itself runs no script.
constexpr const char* kLayoutProbe = R"(<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; }
  var facts = {viewport: window.innerWidth, scroll_width: document.documentElement.scrollWidth,
               content_width: document.querySelector('h2').getBoundingClientRect().width,
               background: getComputedStyle(document.body).backgroundColor, bars: {}, lines: {}};
  document.querySelectorAll('#tiers rect[data-series]').forEach(function (el) {
    facts.bars[el.getAttribute('data-series')] = getComputedStyle(el).fill;
  });
  document.querySelectorAll('#over-time g[data-series]').forEach(function (g) {
    facts.lines[g.getAttribute('data-series')] = getComputedStyle(g.querySelector('polyline')).stroke;
  });
  facts.labels = Array.prototype.map.call(document.querySelectorAll('#over-time .end-label'), box);
  facts.weakest = Array.prototype.map.call(document.querySelectorAll('#weakest ol.weak > li'), function (li) {
    var hint = li.querySelector('.hint');
    return {latest: parseFloat(li.getAttribute('data-latest')), height: li.getBoundingClientRect().height,
            hint_shown: hint !== null && hint.checkVisibility()};
  });
  facts.sessions = Array.prototype.map.call(document.querySelectorAll('#sessions time'), function (t) {
    return t.getAttribute('datetime');
  });
  var out = document.createElement('pre');
  out.id = 'facts';
  out.textContent = JSON.stringify(facts);
  document.body.appendChild(out);
})();
</script>
)";

// "rgb(12, 34, 56)" as its relative luminance, 0 (black) to 1 (white), roughly.
double luminance(const std::string& css) {
    int r = 0, g = 0, b = 0;
    if (std::sscanf(css.c_str(), "rgb(%d, %d, %d)", &r, &g, &b) != 3) return -1;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0;
}

}  // namespace

// CTest runs this through a wrapper that reports it skipped when there is no browser.
TEST_CASE("the HTML report renders in a headless browser", "[report][chromium]") {
    const std::string chromium = EHRPREP_CHROMIUM;
    if (!std::filesystem::exists(chromium)) {
        WARN(chromium << " not installed: HTML render check skipped");
        SUCCEED();
        return;
    }
    Setup s;
    std::vector<Attempt> history = fixed_history();
    history[0].answer = "<script>document.body.innerHTML=''</script>";
    s.history(to_jsonl(history));
    const std::string html = s.dir.file("report.html");
    REQUIRE(s.run({"report", "--format", "html", "-o", html}).exit_code == 0);
    std::string probe = read_text_file(html);
    const auto body_end = probe.rfind("</body>");
    REQUIRE(body_end != std::string::npos);
    probe.insert(body_end, kLayoutProbe);
    s.dir.write("probe.html", probe);

    // The facts of the page as laid out in a window `size` wide and high.
    auto layout = [&](const std::string& size, const std::vector<std::string>& flags = {}) {
        TempDir profile;
        ProcessOptions options;
        options.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", profile.path()}};
        std::vector<std::string> argv = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                         "--no-first-run", "--disable-background-networking",
                                         "--disable-component-update", "--disable-sync",
                                         "--user-data-dir=" + profile.path(), "--window-size=" + size, "--dump-dom"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back("file://" + s.dir.file("probe.html"));
        const ProcessResult shown = run_process(argv, options);
        INFO(shown.err);
        const auto open = shown.out.find("<pre id=\"facts\">");
        const auto close = shown.out.find("</pre>", open);
        REQUIRE(open != std::string::npos);
        REQUIRE(close != std::string::npos);
        std::string text = shown.out.substr(open + 16, close - open - 16);
        for (auto [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
            for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + 1))
                text.replace(at, from.size(), to);
        return nlohmann::json::parse(text);
    };

    for (const bool dark : {false, true}) {
        const nlohmann::json facts = layout("1280,2000", dark ? std::vector<std::string>{"--force-dark-mode"}
                                                              : std::vector<std::string>{});
        INFO((dark ? "dark: " : "light: ") << facts.dump());
        // The page uses the window's width, up to a measure, and nothing spills sideways.
        CHECK(facts["content_width"].get<double>() >= 900);
        CHECK(facts["content_width"].get<double>() <= 1100);
        CHECK(facts["scroll_width"].get<int>() <= facts["viewport"].get<int>());
        CHECK((dark ? luminance(facts["background"]) < 0.2 : luminance(facts["background"]) > 0.9));

        // Each tier has the same colour in both charts, and no two series share one.
        REQUIRE(facts["lines"].size() == 3);  // Basics, Deep Dive and All
        std::set<std::string> colours;
        for (const auto& [key, colour] : facts["lines"].items()) {
            INFO(key);
            REQUIRE(facts["bars"].contains(key));
            CHECK(facts["bars"][key] == colour);
            colours.insert(colour.get<std::string>());
        }
        CHECK(colours.size() == facts["lines"].size());

        // The lines' names, where the lines end, do not overlap.
        std::vector<std::pair<double, double>> labels;
        for (const auto& label : facts["labels"]) labels.emplace_back(label["top"], label["bottom"]);
        CHECK(labels.size() == 3);
        std::sort(labels.begin(), labels.end());
        for (std::size_t k = 1; k < labels.size(); ++k) CHECK(labels[k].first >= labels[k - 1].second - 1);

        // The weakest list is short rows of questions below the strong band, hints folded away.
        REQUIRE(facts["weakest"].size() == 2);
        for (const auto& question : facts["weakest"]) {
            CHECK(question["latest"].get<double>() < 0.7);
            CHECK(question["height"].get<double>() < 200);
            CHECK_FALSE(question["hint_shown"].get<bool>());
        }
        // Sessions newest first.
        std::vector<std::string> started = facts["sessions"];
        CHECK(started.size() == 5);
        CHECK(std::is_sorted(started.rbegin(), started.rend()));
    }
    // On a phone nothing spills sideways either: wide tables scroll in their own box.
    const nlohmann::json phone = layout("400,1200");
    INFO(phone.dump());
    CHECK(phone["scroll_width"].get<int>() <= phone["viewport"].get<int>());
}

TEST_CASE("ehrprep report refuses to write over the practice history, however it is named", "[report]") {
    Setup s;
    const std::string jsonl = to_jsonl(fixed_history());
    s.history(jsonl);
    std::filesystem::create_symlink(s.dir.file("data/history.jsonl"), s.dir.file("link.jsonl"));
    for (const std::string& target : {s.dir.file("data/history.jsonl"), s.dir.file("data/../data/history.jsonl"),
                                      s.dir.file("link.jsonl")}) {
        ProcessResult r = s.run({"report", "--format", "csv", "-o", target});
        CAPTURE(target);
        CHECK(r.exit_code == 2);
        CHECK(r.err == "ehrprep: -o " + target +
                           ": that is the practice history, which a report would replace; write the report to another "
                           "file\n");
    }
    CHECK(read_text_file(s.dir.file("data/history.jsonl")) == jsonl);
}

TEST_CASE("ehrprep report -o writes a file only its owner can read, and names a directory given instead",
          "[report]") {
    Setup s;
    s.history(to_jsonl(fixed_history()));
    ProcessResult written = s.run({"report", "--format", "csv", "-o", s.dir.file("attempts.csv")});
    REQUIRE(written.exit_code == 0);
    CHECK((std::filesystem::status(s.dir.file("attempts.csv")).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::filesystem::create_directory(s.dir.file("adir"));
    ProcessResult dir_given = s.run({"report", "-o", s.dir.file("adir") + "/"});
    CHECK(dir_given.exit_code == 1);
    CHECK(dir_given.err == "ehrprep: cannot write " + s.dir.file("adir") + "/: it is a directory (give a file name)\n");
    CHECK(std::filesystem::is_empty(s.dir.file("adir")));
}

TEST_CASE("ehrprep report puts an attempt on the local day it was made, whatever the season now", "[report]") {
    Setup s;
    std::vector<Attempt> history = {fixed_history()[0]};
    history[0].session_id = "summer-night";
    history[0].started_at = parse_utc("2026-07-15T04:30:00Z").value();  // 00:30 in New York
    s.history(to_jsonl(history));
    // A POSIX rule needs no time zone database. Whether the report is made in summer or winter,
    // the attempt was made at UTC-4.
    ProcessResult r = s.run({"report", "--format", "json"}, {{"TZ", "EST5EDT,M3.2.0,M11.1.0"}});
    REQUIRE(r.exit_code == 0);
    const auto report = nlohmann::json::parse(r.out);
    REQUIRE(report.at("daily").size() == 1);
    CHECK(report.at("daily")[0].at("date") == "2026-07-15");
}
