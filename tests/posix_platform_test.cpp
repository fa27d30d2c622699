#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ehrprep/posix_platform.hpp"
#include "support/process.hpp"

using namespace ehrprep;

namespace {

std::vector<std::pair<std::size_t, std::string>> lines_of(PosixFileSystem& fs, const std::string& path) {
    std::vector<std::pair<std::size_t, std::string>> lines;
    REQUIRE(fs.for_each_line(path, [&](std::string_view line, std::size_t n) { lines.emplace_back(n, line); }));
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
    for (const auto& [n, line] : lines) CHECK(line.size() == payload.size() + 1);
}

TEST_CASE("files are read line by line with numbers, a missing file having none", "[platform]") {
    test::TempDir dir;
    PosixFileSystem fs;
    std::string big(200000, 'y');
    dir.write("h.jsonl", "a\n\n" + big + "\nlast-without-newline");
    auto lines = lines_of(fs, dir.file("h.jsonl"));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == std::pair<std::size_t, std::string>{1, "a"});
    CHECK(lines[1].second.empty());
    CHECK(lines[2].second == big);
    CHECK(lines[3] == std::pair<std::size_t, std::string>{4, "last-without-newline"});
    CHECK(lines_of(fs, dir.file("absent.jsonl")).empty());
    CHECK_FALSE(fs.read_file(dir.path()));
}
