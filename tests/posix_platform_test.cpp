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
    CHECK_FALSE(fs.read_file(dir.path()));
}

TEST_CASE("a FIFO, a device or a directory is refused for reading at once, not waited on or read forever",
          "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    REQUIRE(::symlink("/dev/zero", dir.file("zero").c_str()) == 0);
    for (const auto& [name, kind] : std::vector<std::pair<std::string, std::string>>{
             {"fifo", "a FIFO"}, {"zero", "a character device"}, {"", "a directory"}}) {
        auto opened = fs.open_for_reading(dir.file(name));
        REQUIRE_FALSE(opened);
        CHECK(opened.error().message == "cannot read " + dir.file(name) + ": it is " + kind + ", not a regular file");
        CHECK(opened.error().exit_status == kExitFailure);
    }
}
