// The real binary: argument parsing, exit statuses, files on disk, and the HTML in a browser.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ehrprep/history.hpp"
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

// Width and height from a PNG's IHDR chunk.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
    auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
    };
    if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) return {0, 0};
    return {be32(16), be32(20)};
}

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

    auto render = [&](const std::string& page, const std::string& png) {
        TempDir profile;
        ProcessOptions options;
        options.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", profile.path()}};
        return run_process({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--user-data-dir=" + profile.path(), "--screenshot=" + png, "--window-size=1200,1600",
                            "file://" + page},
                           options);
    };
    s.dir.write("blank.html", "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>");
    const std::string png = s.dir.file("report.png");
    const std::string blank_png = s.dir.file("blank.png");
    ProcessResult shot = render(html, png);
    INFO(shot.err);
    REQUIRE(std::filesystem::exists(png));
    REQUIRE(render(s.dir.file("blank.html"), blank_png).exit_code == 0);
    const std::string image = read_text_file(png);
    CHECK(png_size(image) == std::pair<std::uint32_t, std::uint32_t>{1200, 1600});
    // A white page compresses to almost nothing; text, bars and lines do not.
    CHECK(image.size() > 8 * read_text_file(blank_png).size());
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
