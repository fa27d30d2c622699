#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <sstream>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ehrprep/posix_platform.hpp"
#include "support/process.hpp"

using namespace ehrprep;

namespace {

// The whole file, read through open_for_reading in uneven pieces.
std::string read_in_pieces(PosixFileSystem& fs, const std::string& path) {
    auto opened = fs.open_for_reading(path);
    REQUIRE(opened);
    REQUIRE(*opened != nullptr);
    const RandomAccessFile& file = **opened;
    std::string content;
    char piece[4099];
    for (std::uint64_t at = 0;;) {
        auto read = file.read_at(at, piece);
        REQUIRE(read);
        if (*read == 0) break;
        content.append(piece, *read);
        at += *read;
    }
    CHECK(content.size() == file.size());
    return content;
}

std::vector<std::string> lines_of(PosixFileSystem& fs, const std::string& path) {
    std::vector<std::string> lines;
    std::istringstream in(read_in_pieces(fs, path));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("atomic writes replace a file whole and leave no temporary behind", "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    const std::string path = dir.file("report.md");
    REQUIRE(fs.write_file_atomic(path, "first\n", false));
    REQUIRE(fs.write_file_atomic(path, "second\n", false));
    CHECK(test::read_text_file(path) == "second\n");
    auto refused = fs.write_file_atomic(path, "third\n", true);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == path + " already exists (remove it or drop --no-clobber)");
    CHECK(test::read_text_file(path) == "second\n");
    auto entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        (void)entry;
        ++entries;
    }
    CHECK(entries == 1);
}

TEST_CASE("a failed atomic write keeps the old file and leaves no temporary", "[platform]") {
    test::TempDir dir;
    const std::string path = dir.file("report.md");
    {
        PosixFileSystem fs;
        REQUIRE(fs.write_file_atomic(path, "old\n", false));
    }
    // A file-size limit makes the write fail part-way, as a full disk would, even for root.
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit {16, 16};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        PosixFileSystem fs;
        ::_exit(fs.write_file_atomic(path, std::string(4096, 'n'), false) ? 0 : 3);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WEXITSTATUS(status) == 3);
    CHECK(test::read_text_file(path) == "old\n");
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);

    PosixFileSystem fs;
    auto missing_dir = fs.write_file_atomic("/nonexistent-dir/report.md", "x", false);
    REQUIRE_FALSE(missing_dir);
    CHECK(missing_dir.error().message.find("/nonexistent-dir/report.md") != std::string::npos);
}

TEST_CASE("appends create private files and directories and keep lines whole", "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    const std::string path = dir.file("deep/er/history.jsonl");
    REQUIRE(fs.append_locked(path, "one\n"));
    REQUIRE(fs.append_locked(path, "two\n"));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(dir.file("deep").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(test::read_text_file(path) == "one\ntwo\n");

    // A torn last line from a crash is closed off before the next record.
    dir.write("torn.jsonl", "whole\ntor");
    REQUIRE(fs.append_locked(dir.file("torn.jsonl"), "next\n"));
    CHECK(test::read_text_file(dir.file("torn.jsonl")) == "whole\ntor\nnext\n");
}

TEST_CASE("concurrent appends from several processes interleave whole lines", "[platform]") {
    test::TempDir dir;
    const std::string path = dir.file("history.jsonl");
    const std::string payload(3000, 'x');  // larger than a pipe-atomic write would guarantee
    std::vector<pid_t> children;
    for (int child = 0; child < 4; ++child) {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            PosixFileSystem fs;
            for (int i = 0; i < 50; ++i)
                if (!fs.append_locked(path, std::to_string(child) + payload + "\n")) ::_exit(1);
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    PosixFileSystem fs;
    auto lines = lines_of(fs, path);
    CHECK(lines.size() == 200);
    for (const std::string& line : lines) CHECK(line.size() == payload.size() + 1);
}

TEST_CASE("files are read at any offset, as large as they were when opened, a missing file being none",
          "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    const std::string big(200000, 'y');
    dir.write("h.jsonl", "a\n\n" + big + "\nlast-without-newline");
    CHECK(read_in_pieces(fs, dir.file("h.jsonl")) == "a\n\n" + big + "\nlast-without-newline");

    auto opened = fs.open_for_reading(dir.file("h.jsonl"));
    REQUIRE(opened);
    const RandomAccessFile& file = **opened;
    REQUIRE(fs.append_locked(dir.file("h.jsonl"), "appended later\n"));
    CHECK(file.size() == 3 + big.size() + 21);
    char four[4];
    REQUIRE(file.read_at(1, four));
    CHECK(*file.read_at(1, four) == 4);
    CHECK(std::string(four, 4) == "\n\nyy");
    CHECK(*file.read_at(file.size() + 100, four) == 0);

    auto absent = fs.open_for_reading(dir.file("absent.jsonl"));
    REQUIRE(absent);
    CHECK(*absent == nullptr);
    CHECK_FALSE(fs.read_file(dir.path(), 1024));
}

namespace {

// Runs `body` in a child process and returns its exit status (128 + signal if it was killed).
template <typename Body>
int in_child(Body body) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) ::_exit(body());
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

std::size_t entries_in(const std::string& dir) {
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("reading refuses a FIFO and a device at once instead of blocking or growing", "[platform]") {
    test::TempDir dir;
    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    PosixFileSystem fs;
    auto fifo = fs.read_file(dir.file("fifo"), 1024);
    REQUIRE_FALSE(fifo);
    CHECK(fifo.error().message == "cannot read " + dir.file("fifo") + ": it is a FIFO, not a regular file");
    auto zero = fs.read_file("/dev/zero", 1024);
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message == "cannot read /dev/zero: it is a device, not a regular file");
}

TEST_CASE("reading stops one byte past the limit so a caller can tell a long file", "[platform]") {
    test::TempDir dir;
    dir.write("long.txt", std::string(200'000, 'x'));
    dir.write("short.txt", "fits");
    PosixFileSystem fs;
    CHECK(fs.read_file(dir.file("long.txt"), 100'000)->size() == 100'001);
    CHECK(fs.read_file(dir.file("short.txt"), 4).value() == "fits");
}

TEST_CASE("an atomic write is private, and a directory is refused by name", "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    const mode_t mask = ::umask(022);
    auto written = fs.write_file_atomic(dir.file("report.csv"), "answers\n", false);
    ::umask(mask);
    REQUIRE(written);
    struct stat st {};
    REQUIRE(::stat(dir.file("report.csv").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    std::filesystem::create_directory(dir.file("adir"));
    for (const std::string& target : {dir.file("adir"), dir.file("adir") + "/"}) {
        auto refused = fs.write_file_atomic(target, "x", false);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message == "cannot write " + target + ": it is a directory (give a file name)");
    }
    CHECK(entries_in(dir.file("adir")) == 0);
}

TEST_CASE("a report write ended by SIGTERM leaves no temporary file behind", "[platform]") {
    test::TempDir dir;
    const std::string path = dir.file("report.csv");
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(pipe_fds[0]);
        ::signal(SIGTERM, SIG_DFL);  // not the test runner's handler
        const std::string content(64 << 20, 'r');
        if (::write(pipe_fds[1], "r", 1) != 1) ::_exit(4);
        PosixFileSystem fs;
        ::_exit(fs.write_file_atomic(path, content, false) ? 0 : 3);
    }
    ::close(pipe_fds[1]);
    char ready = 0;
    REQUIRE(::read(pipe_fds[0], &ready, 1) == 1);
    ::close(pipe_fds[0]);
    // Signal once the temporary file is there, mid-write.
    bool seen = false;
    while (!seen) {
        for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
            seen = seen || entry.path().string().ends_with(".tmp");
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) FAIL("the write ended before it could be interrupted");
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        CAPTURE(entry.path().string());
        CHECK_FALSE(entry.path().string().ends_with(".tmp"));
    }
    // The report is there whole, or not at all.
    if (std::filesystem::exists(path)) CHECK(std::filesystem::file_size(path) == std::size_t{64} << 20);
}

TEST_CASE("appending refuses a symbolic link, a FIFO and a device", "[platform]") {
    test::TempDir dir;
    dir.write("elsewhere.txt", "someone else's file\n");
    std::filesystem::create_symlink(dir.file("elsewhere.txt"), dir.file("history.jsonl"));
    PosixFileSystem fs;
    auto linked = fs.append_locked(dir.file("history.jsonl"), "line\n");
    REQUIRE_FALSE(linked);
    CHECK(linked.error().message.find("is a symbolic link") != std::string::npos);
    CHECK(test::read_text_file(dir.file("elsewhere.txt")) == "someone else's file\n");
    auto checked = fs.check_appendable(dir.file("history.jsonl"));
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message == linked.error().message);

    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    auto fifo = fs.append_locked(dir.file("fifo"), "line\n");
    REQUIRE_FALSE(fifo);
    CHECK(fifo.error().message.find("FIFO") != std::string::npos);
    CHECK_FALSE(fs.check_appendable(dir.file("fifo")));
    CHECK_FALSE(fs.append_locked("/dev/null", "line\n"));
}

TEST_CASE("a history others can read is made private before the first answer, and says so", "[platform]") {
    test::TempDir dir;
    dir.write("history.jsonl", "{}\n");
    REQUIRE(::chmod(dir.file("history.jsonl").c_str(), 0644) == 0);
    PosixFileSystem fs;
    auto checked = fs.check_appendable(dir.file("history.jsonl"));
    REQUIRE(checked);
    REQUIRE(checked->has_value());
    CHECK(**checked == dir.file("history.jsonl") + " could be read by others (mode 0644): it is now readable by you only (0600)");
    struct stat st {};
    REQUIRE(::stat(dir.file("history.jsonl").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto again = fs.check_appendable(dir.file("history.jsonl"));
    REQUIRE(again);
    CHECK_FALSE(again->has_value());
    // A history not there yet only needs a directory it can be created in.
    auto fresh = fs.check_appendable(dir.file("new/dir/history.jsonl"));
    REQUIRE(fresh);
    CHECK_FALSE(fresh->has_value());
    CHECK(std::filesystem::is_directory(dir.file("new/dir")));
}

TEST_CASE("an append cut short by a file-size limit is taken back to the last whole line", "[platform]") {
    test::TempDir dir;
    const std::string path = dir.file("history.jsonl");
    const std::string first = std::string(100, 'a') + "\n";
    dir.write("history.jsonl", first);
    const int status = in_child([&] {
        ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit {4096, 4096};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        PosixFileSystem fs;
        auto appended = fs.append_locked(path, std::string(8000, 'b') + "\n");
        if (appended) return 0;
        return appended.error().message == "cannot append to " + path + ": File too large" ? 3 : 4;
    });
    CHECK(status == 3);
    CHECK(test::read_text_file(path) == first);
}

TEST_CASE("two spellings of one file are the same file, before and after it exists", "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    std::filesystem::create_directory(dir.file("data"));
    CHECK(fs.same_file(dir.file("data/history.jsonl"), dir.file("data/../data/./history.jsonl")));
    dir.write("data/history.jsonl", "x\n");
    std::filesystem::create_symlink(dir.file("data/history.jsonl"), dir.file("link"));
    CHECK(fs.same_file(dir.file("link"), dir.file("data/history.jsonl")));
    CHECK_FALSE(fs.same_file(dir.file("data/other.jsonl"), dir.file("data/history.jsonl")));
}

TEST_CASE("a FIFO, a device or a directory is refused for reading at once, not waited on or read forever",
          "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    REQUIRE(::symlink("/dev/zero", dir.file("zero").c_str()) == 0);
    for (const auto& [name, why] : std::vector<std::pair<std::string, std::string>>{
             {"fifo", "it is a FIFO, not a regular file"},
             {"zero", "it is a device, not a regular file"},
             {"", "Is a directory"}}) {
        auto opened = fs.open_for_reading(dir.file(name));
        REQUIRE_FALSE(opened);
        CHECK(opened.error().message == "cannot read " + dir.file(name) + ": " + why);
        CHECK(opened.error().exit_status == kExitFailure);
    }
}

TEST_CASE("the local offset follows daylight saving time at each moment asked about", "[platform]") {
    // A POSIX rule needs no time zone database: US Eastern, -5 h, -4 h from March to November.
    const char* saved = std::getenv("TZ");
    const std::string before = saved != nullptr ? saved : "";
    ::setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    ::tzset();
    SystemClock clock;
    using namespace std::chrono;
    const auto winter = sys_days{2026y / January / 15} + 12h;
    const auto summer = sys_days{2026y / July / 15} + 12h;
    const auto just_before_change = sys_days{2026y / March / 8} + 6h + 59min;  // 01:59 EST
    const auto just_after_change = sys_days{2026y / March / 8} + 7h;           // 03:00 EDT
    const seconds winter_offset = clock.utc_offset(winter);
    const seconds summer_offset = clock.utc_offset(summer);
    const seconds before_change = clock.utc_offset(just_before_change);
    const seconds after_change = clock.utc_offset(just_after_change);
    if (saved != nullptr) ::setenv("TZ", before.c_str(), 1);
    else ::unsetenv("TZ");
    ::tzset();
    CHECK(winter_offset == -5h);
    CHECK(summer_offset == -4h);
    CHECK(before_change == -5h);
    CHECK(after_change == -4h);
}
