#include "ehrprep/progress_commands.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "ehrprep/text_layout.hpp"
#include "support/fakes.hpp"
#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::FakeApp;
using ehrprep::test::fixed_history;
using ehrprep::test::kFixedNow;
using ehrprep::test::progress_bank_json;
using ehrprep::test::to_jsonl;

namespace {

const std::string kBank = "/bank.json";
const std::string kData = "/data";
const std::string kHistory = "/data/history.jsonl";

struct App : FakeApp {
    App() : FakeApp(kFixedNow, {{"LANG", "en_US.UTF-8"}}) {
        files.files[kBank] = progress_bank_json();
        global.bank_path = kBank;
        global.data_dir = kData;
    }
    GlobalOptions global;
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("stats with no history says how to start", "[stats]") {
    App app;
    CHECK(run_stats(app.ctx, app.global, {}) == kExitOk);
    CHECK(app.out.str().find("No practice history yet") != std::string::npos);
    CHECK(app.out.str().find("ehrprep quiz") != std::string::npos);
    CHECK(app.err.str().empty());
}

TEST_CASE("stats shows tiers, weakest questions, missed concepts and streak", "[stats]") {
    App app;
    app.files.files[kHistory] = to_jsonl(fixed_history());
    REQUIRE(run_stats(app.ctx, app.global, {}) == kExitOk);
    const std::string out = app.out.str();
    CHECK(out.find("Basics") != std::string::npos);
    CHECK(out.find("Deep Dive") != std::string::npos);
    CHECK(out.find("retired-9") != std::string::npos);
    CHECK(out.find("Concepts missed most often") != std::string::npos);
    CHECK(out.find("Streak 3 days (longest 3)") != std::string::npos);
    CHECK(out.find("today") != std::string::npos);  // the fixed clock says 2026-03-10
    CHECK(out.find('\x1b') == std::string::npos);  // not a terminal
}

TEST_CASE("stats filters reach the output", "[stats]") {
    App app;
    app.files.files[kHistory] = to_jsonl(fixed_history());
    StatsOptions options;
    options.tiers = {"DEEP"};  // names resolve as for every other command
    options.since = "2026-03-09";
    REQUIRE(run_stats(app.ctx, app.global, options) == kExitOk);
    const std::string out = app.out.str();
    CHECK(out.find("Filters: tier deep; since 2026-03-09") != std::string::npos);
    CHECK(out.find("Basics") == std::string::npos);
    CHECK(out.find("attempts 2 (1 answered, 1 quit)") != std::string::npos);

    App none;
    none.files.files[kHistory] = to_jsonl(fixed_history());
    options.since = "2027-01-01";
    REQUIRE(run_stats(none.ctx, none.global, options) == kExitOk);
    CHECK(none.out.str().find("No attempts match these filters") != std::string::npos);
    CHECK(none.out.str().find("11 attempts") != std::string::npos);
}

TEST_CASE("bad arguments name the option and exit 2", "[stats]") {
    struct Case {
        StatsOptions options;
        std::string expected;
    };
    StatsOptions bad_since;
    bad_since.since = "2026-02-30";
    StatsOptions bad_last;
    bad_last.last = 0;
    StatsOptions bad_tier;
    bad_tier.tiers = {"nope"};
    for (const Case& c : {Case{bad_since, "--since"}, Case{bad_last, "--last"}, Case{bad_tier, "nope"}}) {
        App app;
        CHECK(run_stats(app.ctx, app.global, c.options) == kExitBadInput);
        CHECK(count(app.err.str(), "\n") == 1);
        CHECK(app.err.str().find(c.expected) != std::string::npos);
        CHECK(app.out.str().empty());

        App report;
        ReportOptions options;
        options.filter = c.options;
        CHECK(run_report(report.ctx, report.global, options) == kExitBadInput);
    }
    App app;
    ReportOptions options;
    options.format = "pdf";
    CHECK(run_report(app.ctx, app.global, options) == kExitBadInput);
    CHECK(app.err.str() == "ehrprep: --format must be md, csv, json or html, not 'pdf'\n");
}

TEST_CASE("corrupt history lines are skipped with a capped list of warnings", "[stats]") {
    App app;
    std::string history = to_jsonl(fixed_history());
    history.insert(0, "{\"schema_version\": 1, \"session\": \"torn\n");
    for (int k = 0; k < 6; ++k) history += "garbage\n";
    app.files.files[kHistory] = history;
    REQUIRE(run_stats(app.ctx, app.global, {}) == kExitOk);
    const std::string err = app.err.str();
    CHECK(err.find("warning: /data/history.jsonl:1: skipped: not valid JSON") != std::string::npos);
    CHECK(err.find("/data/history.jsonl:16:") != std::string::npos);
    CHECK(err.find("/data/history.jsonl:17:") == std::string::npos);
    CHECK(err.find("and 2 more unreadable lines skipped") != std::string::npos);
    CHECK(count(err, "\n") == 6);
    CHECK(app.out.str().find("attempts 11") != std::string::npos);  // the good lines all count
}

TEST_CASE("stats and every report format read the same lines of a hand-edited history", "[stats][report]") {
    std::string history = to_jsonl(fixed_history());
    std::vector<Attempt> odd = {fixed_history().front(), fixed_history().front(), fixed_history().front()};
    odd[0].answer = "BROKEN-UTF8";
    odd[1].answer = "LONE-SURROGATE";
    odd[2].answer = "TOO-DEEP";
    std::string edited = to_jsonl(odd);
    edited.replace(edited.find("BROKEN-UTF8"), 11, "bad \xff byte");
    edited.replace(edited.find("LONE-SURROGATE"), 14, "half \\ud800 a pair");
    const auto deep = edited.find(",\"answer\":\"TOO-DEEP\"");
    edited.insert(deep, ",\"extra\":" + std::string(64, '[') + std::string(64, ']'));
    history += edited;  // lines 12 and 13 are read, 14 is not

    const std::string warning = "ehrprep: warning: /data/history.jsonl:14: skipped: nested more than 64 levels deep\n";
    App stats;
    stats.files.files[kHistory] = history;
    REQUIRE(run_stats(stats.ctx, stats.global, {}) == kExitOk);
    CHECK(stats.out.str().find("attempts 13") != std::string::npos);
    CHECK(stats.err.str() == warning);
    for (const char* format : {"json", "csv"}) {
        App report;
        report.files.files[kHistory] = history;
        ReportOptions options;
        options.format = format;
        REQUIRE(run_report(report.ctx, report.global, options) == kExitOk);
        CHECK(report.err.str() == warning);
        if (std::string(format) == "json") {
            CHECK(nlohmann::json::parse(report.out.str())["summary"]["attempts"] == 13);
        } else {
            const std::string csv = report.out.str();
            CHECK(count(csv, "\r\n") == 14);  // the header and thirteen attempts
            CHECK(csv.find("bad \xEF\xBF\xBD byte") != std::string::npos);
            CHECK(csv.find("half \xEF\xBF\xBD a pair") != std::string::npos);
        }
    }
}

TEST_CASE("an unreadable history is an I/O failure", "[stats]") {
    App app;
    app.files.files[kHistory] = to_jsonl(fixed_history());
    app.files.unreadable.insert(kHistory);
    CHECK(run_stats(app.ctx, app.global, {}) == kExitFailure);
    CHECK(app.err.str().find("Permission denied") != std::string::npos);
}

TEST_CASE("stats fits a narrow terminal", "[stats]") {
    App app;
    app.files.files[kHistory] = to_jsonl(fixed_history());
    app.ctx.console.out_is_terminal = true;
    app.ctx.console.columns = 44;
    REQUIRE(run_stats(app.ctx, app.global, {}) == kExitOk);
    std::istringstream lines(app.out.str());
    std::size_t n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
        INFO(line);
        CHECK(display_width(line) <= 44);
    }
    CHECK(n > 10);
    CHECK(app.out.str().find("\x1b[") != std::string::npos);  // a terminal gets colour
}

TEST_CASE("report writes to stdout or atomically to a file", "[report]") {
    App app;
    app.files.files[kHistory] = to_jsonl(fixed_history());
    ReportOptions options;
    options.format = "json";

    SECTION("stdout") {
        REQUIRE(run_report(app.ctx, app.global, options) == kExitOk);
        CHECK(nlohmann::json::parse(app.out.str())["summary"]["attempts"] == 11);
    }
    SECTION("a new file") {
        options.output = "/out/report.json";
        REQUIRE(run_report(app.ctx, app.global, options) == kExitOk);
        CHECK(nlohmann::json::parse(app.files.files.at("/out/report.json"))["schema_version"] == 1);
        CHECK(app.out.str().empty());
    }
    SECTION("a failed write leaves the old report whole") {
        app.files.files["/out/report.json"] = "old report";
        app.files.failing_writes.insert("/out/report.json");
        options.output = "/out/report.json";
        CHECK(run_report(app.ctx, app.global, options) == kExitFailure);
        CHECK(app.files.files.at("/out/report.json") == "old report");
        CHECK(app.err.str().find("No space left on device") != std::string::npos);
    }
    SECTION("--no-clobber refuses an existing file; without it the file is replaced") {
        app.files.files["/out/report.json"] = "old report";
        options.output = "/out/report.json";
        options.no_clobber = true;
        CHECK(run_report(app.ctx, app.global, options) == kExitFailure);
        CHECK(app.files.files.at("/out/report.json") == "old report");
        CHECK(app.err.str().find("already exists") != std::string::npos);
        options.no_clobber = false;
        CHECK(run_report(app.ctx, app.global, options) == kExitOk);
        CHECK(app.files.files.at("/out/report.json") != "old report");
    }
    SECTION("CSV to a file holds every filtered row") {
        options.format = "csv";
        options.output = "/out/attempts.csv";
        options.filter.tiers = {"basics"};
        REQUIRE(run_report(app.ctx, app.global, options) == kExitOk);
        const std::string csv = app.files.files.at("/out/attempts.csv");
        CHECK(count(csv, "\r\n") == 7);  // header and six basics attempts
        CHECK(csv.find("Answer to basics-1") != std::string::npos);
        CHECK(csv.find(",deep,") == std::string::npos);
    }
}

TEST_CASE("CSV with --last keeps the rows of the last sessions in history order", "[report]") {
    std::vector<Attempt> history = fixed_history();
    // Interleave: s4's second row comes after s5's first.
    std::swap(history[8], history[9]);
    App app;
    app.files.files[kHistory] = to_jsonl(history);
    ReportOptions options;
    options.format = "csv";
    options.filter.last = 2;
    REQUIRE(run_report(app.ctx, app.global, options) == kExitOk);
    std::istringstream csv(app.out.str());
    std::vector<std::string> lines;
    for (std::string line; std::getline(csv, line);) lines.push_back(line);
    REQUIRE(lines.size() == 5);
    CHECK(lines[1].rfind("s4,basics-1", 0) == 0);
    CHECK(lines[2].rfind("s5,deep-1", 0) == 0);
    CHECK(lines[3].rfind("s4,deep-2", 0) == 0);
    CHECK(lines[4].rfind("s5,retired-9", 0) == 0);
}

TEST_CASE("CSV with --last holds the rows of the sessions every other format shows", "[report]") {
    // Session b's first line comes after a's but its second started earliest of all, so a is
    // the session that started last.
    std::vector<Attempt> history = fixed_history();
    history.resize(3);
    history[0].session_id = "a";
    history[0].started_at = parse_utc("2026-03-05T10:00:00Z").value();
    history[1].session_id = "b";
    history[1].started_at = parse_utc("2026-03-05T11:00:00Z").value();
    history[2].session_id = "b";
    history[2].started_at = parse_utc("2026-03-05T09:00:00Z").value();
    std::string lines = to_jsonl(history) + "{torn\n";

    App json;
    json.files.files[kHistory] = lines;
    ReportOptions options;
    options.format = "json";
    options.filter.last = 1;
    REQUIRE(run_report(json.ctx, json.global, options) == kExitOk);
    const auto sessions = nlohmann::json::parse(json.out.str())["sessions"];
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0]["id"] == "a");

    App csv;
    csv.files.files[kHistory] = lines;
    options.format = "csv";
    REQUIRE(run_report(csv.ctx, csv.global, options) == kExitOk);
    CHECK(count(csv.out.str(), "\r\n") == 2);
    CHECK(csv.out.str().find("\r\na,basics-1,") != std::string::npos);
    CHECK(count(csv.err.str(), "skipped") == 1);  // read twice, warned about once
}

TEST_CASE("report on an empty history still writes a report that says so", "[report]") {
    for (const char* format : {"md", "html", "json", "csv"}) {
        App app;
        ReportOptions options;
        options.format = format;
        INFO(format);
        REQUIRE(run_report(app.ctx, app.global, options) == kExitOk);
        CHECK_FALSE(app.out.str().empty());
        if (std::string(format) == "md" || std::string(format) == "html")
            CHECK(app.out.str().find("No attempts match") != std::string::npos);
    }
}
