#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "ehrprep/history.hpp"
#include "ehrprep/posix_platform.hpp"
#include "support/fakes.hpp"
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

TEST_CASE("an attempt reads the same with or without its answer text", "[history]") {
    Attempt a = sample_attempt();
    a.session_id = "s\"1\\ é 😀";
    a.missed = {"B", "naïve \"label\""};
    a.answer = std::string(5000, 'x') + "\\\" tricky \" end";
    const std::string line = serialize_attempt(a);
    Attempt full, summary;
    summary.answer = "left over";
    REQUIRE(parse_attempt(line, full, AnswerText::Read));
    REQUIRE(parse_attempt(line, summary, AnswerText::Skip));
    CHECK(full.answer == a.answer);
    CHECK(summary.answer.empty());
    for (const Attempt* read : {&full, &summary}) {
        CHECK(read->session_id == a.session_id);
        CHECK(read->question_id == a.question_id);
        CHECK(read->tier_id == a.tier_id);
        CHECK(read->started_at == a.started_at);
        CHECK(read->outcome == a.outcome);
        CHECK(read->coverage == a.coverage);
        CHECK(read->covered == a.covered);
        CHECK(read->missed == a.missed);
    }
}

TEST_CASE("escapes, surrogate pairs, any number form and fields it does not know are read", "[history]") {
    const std::string line = R"({"schema_version":1,"session":"\u0041\ud83d\ude00\t","question":"q","tier":"t",)"
                             R"("started_at":"2026-03-01T09:00:00Z","seconds":1e1,"outcome":"quit","coverage":0,)"
                             R"("covered":[],"missed":[],"extra":{"nested":[1,true,null,-0.5E-3]}})";
    const Attempt a = parse_attempt(line).value();
    CHECK(a.session_id == "A😀\t");
    CHECK(a.seconds == 10.0);
    CHECK(a.outcome == Outcome::Quit);
    CHECK(a.answer.empty());  // an attempt may have none
}

TEST_CASE("a key written with escapes is the key it spells, and one with bytes that are not UTF-8 is stepped over",
          "[history]") {
    // Fields in another order than ehrprep writes them, one key spelled with escapes, and an
    // unknown key whose bytes are not UTF-8.
    const std::string line = "{\"tier\":\"t\",\"sess\\u0069on\":\"s-1\",\"schema_version\":1,\"question\":\"q\","
                             "\"started_at\":\"2026-03-01T09:00:00Z\",\"k\xff\xfe\":\"?\",\"seconds\":3,"
                             "\"outcome\":\"answered\",\"coverage\":0.5,\"covered\":[],\"missed\":[\"A\"]}";
    for (const AnswerText answer : {AnswerText::Read, AnswerText::Skip}) {
        Attempt a;
        REQUIRE(parse_attempt(line, a, answer));
        CHECK(a.session_id == "s-1");
        CHECK(a.tier_id == "t");
        CHECK(a.coverage == 0.5);
        CHECK(a.missed == std::vector<std::string>{"A"});
    }
    CHECK(parse_attempt(R"({"schema_version":1,"session":"s"})").error().message == "key 'question' not found");
}

TEST_CASE("bad lines are refused with a reason, the same whether or not the answer is read", "[history]") {
    const std::string line = serialize_attempt(sample_attempt());
    auto with = [&](const std::string& from, const std::string& to) {
        std::string changed = line;
        REQUIRE(changed.find(from) != std::string::npos);
        return changed.replace(changed.find(from), from.size(), to);
    };
    const std::string answer = "\"answer\":\"";
    for (const auto& [bad, reason] : std::vector<std::pair<std::string, std::string>>{
             {line.substr(0, line.size() / 2), "not valid JSON (a torn or edited line)"},
             {"{\"schema_version\":1,\"sess", "not valid JSON (a torn or edited line)"},
             {line + " trailing", "not valid JSON (a torn or edited line)"},
             {with(answer, answer + "bad \\q escape"), "not valid JSON (a torn or edited line)"},
             {with(answer, answer + "bad \\u12 escape"), "not valid JSON (a torn or edited line)"},
             {with(answer, answer + "raw \x01 control"), "not valid JSON (a torn or edited line)"},
             {with(answer, answer + "a\\"), "not valid JSON (a torn or edited line)"},
             {"[1,2]", "not a JSON object"},
             {"{\"schema_version\":9}", "schema_version 9 is newer than this ehrprep reads (1)"},
             {"{\"schema_version\":1" + std::string(30, '0') + "}",
              "schema_version 1000000000000000000000000000000 is newer than this ehrprep reads (1)"},
             {"{\"schema_version\":1.5}", "missing 'schema_version'"},
             {with("\"session\":\"20261130T091500Z-3f2a\",", ""), "key 'session' not found"},
             {with("\"seconds\":42.3", "\"seconds\":\"42\""), "field 'seconds' must be a number"},
             {with("\"covered\":[\"Encryption\"]", "\"covered\":[1]"), "field 'covered' must be an array of strings"},
             {with("\"timed_out\"", "\"napped\""), "field 'outcome': unknown value 'napped'"},
             {with("\"coverage\":0.5", "\"coverage\":1.5"), "field 'coverage' must be between 0 and 1"},
             {with("2026-11-30T09:15:00Z", "2026-02-30T09:15:00Z"),
              "field 'started_at': '2026-02-30T09:15:00Z' is not a UTC time like 2026-11-30T09:05:00Z"},
             {with(answer + "line one", "\"answer\":[\"line one"), "not valid JSON (a torn or edited line)"},
             {with("\"answer\":", "\"answer\":7,\"x\":"), "field 'answer' must be a string"}}) {
        CAPTURE(bad);
        for (AnswerText answer_text : {AnswerText::Read, AnswerText::Skip}) {
            Attempt out;
            auto parsed = parse_attempt(bad, out, answer_text);
            REQUIRE_FALSE(parsed);
            CHECK(parsed.error().message == reason);
        }
    }
}

TEST_CASE("bytes that are not UTF-8 and lone surrogates read as U+FFFD, whether or not the answer is read",
          "[history]") {
    const std::string replacement = "\xEF\xBF\xBD";
    std::string line = serialize_attempt(sample_attempt());
    line.replace(line.find("20261130T091500Z"), 16, "bad\xff\xfe" "byte");
    line.replace(line.find("Encryption"), 10, "\\udc00lone");
    line.replace(line.find("line one"), 8, "\\ud800x \xc3(");
    for (AnswerText answer_text : {AnswerText::Read, AnswerText::Skip}) {
        Attempt a;
        REQUIRE(parse_attempt(line, a, answer_text));
        CHECK(a.session_id == "bad" + replacement + replacement + "byte-3f2a");  // two bytes that cannot start one
        CHECK(a.covered == std::vector<std::string>{replacement + "lone"});
        if (answer_text == AnswerText::Read) CHECK(a.answer.rfind(replacement + "x " + replacement + "(\nline two", 0) == 0);
    }
}

TEST_CASE("a line nested deeper than 64 levels is refused, one at 64 is read", "[history]") {
    const std::string line = serialize_attempt(sample_attempt());
    auto nested = [](int levels) { return std::string(levels, '[') + std::string(levels, ']'); };
    // The line's own object is the first level.
    const std::string deepest_read = line.substr(0, line.size() - 1) + ",\"extra\":" + nested(63) + "}";
    const std::string too_deep = line.substr(0, line.size() - 1) + ",\"extra\":" + nested(64) + "}";
    for (AnswerText answer_text : {AnswerText::Read, AnswerText::Skip}) {
        Attempt a;
        CHECK(parse_attempt(deepest_read, a, answer_text));
        auto refused = parse_attempt(too_deep, a, answer_text);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message == "nested more than 64 levels deep");
        CHECK(parse_attempt(nested(64), a, answer_text).error().message == "not a JSON object");
        CHECK(parse_attempt(nested(65), a, answer_text).error().message == "nested more than 64 levels deep");
        CHECK(parse_attempt(nested(100000), a, answer_text).error().message == "nested more than 64 levels deep");
    }
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

TEST_CASE("a retry and a changed review rating are kept, and old lines without them still read", "[history]") {
    Attempt a;
    a.session_id = "S";
    a.question_id = "q1";
    a.tier_id = "t";
    a.coverage = 0.5;
    a.retry = true;
    a.suggested_rating = Rating::Hard;
    a.chosen_rating = Rating::Again;
    const std::string line = serialize_attempt(a);
    CHECK(line.find(R"("retry":true,"suggested_rating":"hard","rating":"again")") != std::string::npos);
    auto back = parse_attempt(line);
    REQUIRE(back);
    CHECK(back->retry);
    CHECK(back->suggested_rating == Rating::Hard);
    CHECK(back->chosen_rating == Rating::Again);

    Attempt plain = a;
    plain.retry = false;
    plain.suggested_rating.reset();
    plain.chosen_rating.reset();
    const std::string old_line = serialize_attempt(plain);
    CHECK(old_line.find("retry") == std::string::npos);
    CHECK(old_line.find("rating") == std::string::npos);
    auto old = parse_attempt(old_line);
    REQUIRE(old);
    CHECK_FALSE(old->retry);
    CHECK_FALSE(old->chosen_rating);

    std::string bad = line;
    bad.replace(bad.find(R"("rating":"again")"), 16, R"("rating":"meh")");
    CHECK(parse_attempt(bad).error().message == "field 'rating' must be again, hard, good or easy");
}

namespace {

// Everything a reader hands over of an attempt, as one line of text.
std::string describe(const AttemptView& a) {
    std::string out = fmt::format("{}|{}|{}|{}|{}|{}|{}|", a.session_id, a.question_id, a.tier_id,
                                  format_utc(a.started_at), a.seconds, static_cast<int>(a.outcome), a.coverage);
    for (std::string_view label : a.covered) out += fmt::format("+{}", label);
    for (std::string_view label : a.missed) out += fmt::format("-{}", label);
    out += fmt::format("|{}|{}|{}|{}", a.answer, a.retry, a.suggested_rating ? static_cast<int>(*a.suggested_rating) : -1,
                       a.chosen_rating ? static_cast<int>(*a.chosen_rating) : -1);
    return out;
}

struct PartsRead {
    std::vector<std::string> attempts;  // the parts' attempts, part after part
    std::vector<std::string> warnings;  // "line: message"
};

PartsRead read_in_parts(const HistoryStore& store, const HistorySplit& split) {
    const std::size_t parts = split.starts.empty() ? split.parts : split.starts.size() + 1;
    std::vector<std::vector<std::string>> by_part(parts);
    std::vector<HistoryWarning> warnings;
    REQUIRE(store.scan_parts(split, HistoryFields{},
                             [&](std::size_t part, const AttemptView& a) { by_part[part].push_back(describe(a)); },
                             warnings));
    PartsRead read;
    for (auto& part : by_part) read.attempts.insert(read.attempts.end(), part.begin(), part.end());
    for (const HistoryWarning& w : warnings) read.warnings.push_back(fmt::format("{}: {}", w.line, w.message));
    return read;
}

// Attempts with escapes to decode, labels the bank may not have, and lines of every length.
std::string varied_history() {
    std::string out;
    for (int k = 0; k < 12; ++k) {
        Attempt a = sample_attempt();
        a.session_id = fmt::format("s{}", k / 3);
        a.question_id = fmt::format("q-{}", k % 5);
        a.started_at += std::chrono::minutes{k};
        a.coverage = k / 12.0;
        a.covered = {fmt::format("naïve \"{}\"", k)};
        a.answer = std::string(static_cast<std::size_t>(k * 37), 'w') + "\t\"end\"";
        a.retry = k % 4 == 1;
        if (k % 3 == 0) a.chosen_rating = Rating::Easy;
        out += serialize_attempt(a) + "\n";
        if (k == 4) out += serialize_attempt(a).substr(0, 60) + "\n";  // torn by a crash
        if (k == 7) out += "\n  \n";
    }
    return out;
}

}  // namespace

TEST_CASE("a history read in parts gives the attempts and warnings of one read from start to end, wherever the "
          "parts begin",
          "[history]") {
    test::MemoryFileSystem files;
    HistoryStore store(files, "history.jsonl");
    for (const bool ends_torn : {false, true}) {
        std::string text = varied_history();
        if (ends_torn) text += serialize_attempt(sample_attempt()).substr(0, 50);  // still being written
        files.files["history.jsonl"] = text;
        const PartsRead serial = read_in_parts(store, HistorySplit{});
        REQUIRE(serial.attempts.size() == 12);
        REQUIRE(serial.warnings.size() == 1);
        CHECK(serial.warnings[0].rfind("6: ", 0) == 0);

        // Every boundary, including each just before, at and after a newline, so that lines are
        // torn exactly where a part begins.
        for (std::uint64_t start = 0; start <= text.size(); ++start) {
            INFO("part 2 begins at byte " << start << (ends_torn ? " of a history whose last line is torn" : ""));
            const PartsRead two = read_in_parts(store, HistorySplit{2, {start}});
            CHECK(two.attempts == serial.attempts);
            CHECK(two.warnings == serial.warnings);
            const PartsRead three = read_in_parts(store, HistorySplit{3, {start / 2, start}});
            CHECK(three.attempts == serial.attempts);
            CHECK(three.warnings == serial.warnings);
        }
        for (std::size_t parts = 1; parts <= 16; ++parts) {
            const PartsRead even = read_in_parts(store, HistorySplit{parts, {}});
            CHECK(even.attempts == serial.attempts);
            CHECK(even.warnings == serial.warnings);
        }
    }
}

TEST_CASE("a last line without its newline is read when whole and passed over quietly when not", "[history]") {
    test::MemoryFileSystem files;
    HistoryStore store(files, "history.jsonl");
    const std::string line = serialize_attempt(sample_attempt());
    files.files["history.jsonl"] = line + "\n" + line;
    CHECK(read_in_parts(store, HistorySplit{}).attempts.size() == 2);
    files.files["history.jsonl"] = line + "\n" + line.substr(0, line.size() / 2);
    const PartsRead read = read_in_parts(store, HistorySplit{});
    CHECK(read.attempts.size() == 1);
    CHECK(read.warnings.empty());
}

TEST_CASE("a line longer than the bound is skipped with a warning, not held in memory", "[history]") {
    test::MemoryFileSystem files;
    HistoryStore store(files, "history.jsonl");
    const std::string line = serialize_attempt(sample_attempt());
    files.files["history.jsonl"] = line + "\n" + std::string(kMaxHistoryLineBytes + 10, 'x') + "\n" + line + "\n";
    for (std::size_t parts : {1, 2, 3}) {
        const PartsRead read = read_in_parts(store, HistorySplit{parts, {}});
        CHECK(read.attempts.size() == 2);
        CHECK(read.warnings == std::vector<std::string>{"2: longer than 16 MiB"});
    }
}

TEST_CASE("a history that is a FIFO or a device is refused with the reason, not read", "[history]") {
    test::TempDir dir;
    PosixFileSystem files;
    REQUIRE(::mkfifo(dir.file("fifo.jsonl").c_str(), 0600) == 0);
    REQUIRE(::symlink("/dev/zero", dir.file("zero.jsonl").c_str()) == 0);
    for (const char* name : {"fifo.jsonl", "zero.jsonl"}) {
        HistoryStore store(files, dir.file(name));
        std::vector<HistoryWarning> warnings;
        auto read = store.scan([](const Attempt&) {}, warnings);
        REQUIRE_FALSE(read);
        CHECK(read.error().message.find("not a regular file") != std::string::npos);
    }
}

TEST_CASE("a schema version too large for any integer is named as written", "[history]") {
    std::string line = serialize_attempt(sample_attempt());
    line.replace(line.find("\"schema_version\":1"), 18, "\"schema_version\":100000000000000000000");
    auto read = parse_attempt(line);
    REQUIRE_FALSE(read);
    CHECK(read.error().message == "schema_version 100000000000000000000 is newer than this ehrprep reads (1)");
}
