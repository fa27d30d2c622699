#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "ehrprep/history.hpp"
#include "ehrprep/posix_platform.hpp"
#include "support/process.hpp"

using namespace ehrprep;

namespace {

Attempt sample_attempt() {
    Attempt a;
    a.session_id = "20261130T091500Z-3f2a";
    a.question_id = "beginner-3";
    a.tier_id = "beginner";
    a.started_at = Timestamp{std::chrono::seconds{1'796'030'100}};
    a.seconds = 42.25;
    a.outcome = Outcome::TimedOut;
    a.coverage = 0.5;
    a.covered = {"Encryption"};
    a.missed = {"Audit logging", "Access \"controls\""};
    a.answer = "line one\nline two with “quotes” and <tags>";
    return a;
}

}  // namespace

TEST_CASE("an attempt survives a round trip through its JSON line", "[history]") {
    const Attempt a = sample_attempt();
    const std::string line = serialize_attempt(a);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.rfind("{\"schema_version\":1,", 0) == 0);
    CHECK(line.find("\"started_at\":\"2026-11-30T09:15:00Z\"") != std::string::npos);
    CHECK(line.find("\"outcome\":\"timed_out\"") != std::string::npos);
    Attempt back = parse_attempt(line).value();
    CHECK(back.session_id == a.session_id);
    CHECK(back.started_at == a.started_at);
    CHECK(back.seconds == Approx(42.3));  // stored to a tenth of a second
    CHECK(back.outcome == Outcome::TimedOut);
    CHECK(back.coverage == 0.5);
    CHECK(back.missed == a.missed);
    CHECK(back.answer == a.answer);
}

TEST_CASE("bad lines are refused with a reason", "[history]") {
    CHECK(parse_attempt("{\"schema_version\":1,\"sess").error().message == "not valid JSON (a torn or edited line)");
    CHECK(parse_attempt("[1,2]").error().message == "not a JSON object");
    CHECK(parse_attempt("{\"schema_version\":9}").error().message ==
          "schema_version 9 is newer than this ehrprep reads (1)");
    std::string line = serialize_attempt(sample_attempt());
    line.replace(line.find("\"timed_out\""), 11, "\"napped\"");
    CHECK(parse_attempt(line).error().message == "field 'outcome': unknown value 'napped'");
}

TEST_CASE("the store appends privately and skips torn lines with their numbers", "[history]") {
    test::TempDir dir;
    PosixFileSystem files;
    HistoryStore store(files, dir.file("data/history.jsonl"));
    REQUIRE(store.append(sample_attempt()));
    struct stat st {};
    REQUIRE(::stat(store.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // A crash mid-write leaves half a line; the next append starts a fresh one.
    const std::string whole = serialize_attempt(sample_attempt());
    REQUIRE(files.append_locked(store.path(), whole.substr(0, 40)));
    REQUIRE(store.append(sample_attempt()));
    REQUIRE(files.append_locked(store.path(), "not json at all\n\n"));
    const std::string before = test::read_text_file(store.path());

    std::vector<Attempt> seen;
    std::vector<HistoryWarning> warnings;
    REQUIRE(store.scan([&](const Attempt& a) { seen.push_back(a); }, warnings));
    CHECK(seen.size() == 2);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].line == 2);
    CHECK(warnings[1].line == 4);
    CHECK(test::read_text_file(store.path()) == before);  // reading never rewrites
}

TEST_CASE("a missing history is empty, not an error", "[history]") {
    test::TempDir dir;
    PosixFileSystem files;
    HistoryStore store(files, dir.file("none/history.jsonl"));
    std::vector<HistoryWarning> warnings;
    int count = 0;
    REQUIRE(store.scan([&](const Attempt&) { ++count; }, warnings));
    CHECK(count == 0);
    CHECK(warnings.empty());
}
