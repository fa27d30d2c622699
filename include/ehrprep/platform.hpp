#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ehrprep/result.hpp"

namespace ehrprep {

// A regular file opened for reading anywhere in it, so that a reader can split it between
// threads. Its size is taken when it is opened: bytes another process appends later are not
// part of it.
class RandomAccessFile {
public:
    virtual ~RandomAccessFile() = default;

    [[nodiscard]] virtual std::uint64_t size() const = 0;

    // Up to `into.size()` bytes from `offset`, fewer only where the file ends. Safe to call from
    // several threads at once.
    virtual Result<std::size_t> read_at(std::uint64_t offset, std::span<char> into) const = 0;
};

// The file system as the core needs it. Messages in errors name the path.
class FileSystem {
public:
    virtual ~FileSystem() = default;

    // Reads a regular file, at most `max_bytes` + 1 bytes of it: a result longer than
    // `max_bytes` says the file is longer, for the caller to refuse or cut. Anything but a
    // regular file (a directory, a FIFO, a device such as /dev/zero) is refused before a byte
    // is read, so that reading can neither block nor grow without end.
    virtual Result<std::string> read_file(const std::string& path, std::size_t max_bytes) = 0;

    // Writes through a temporary file in the same directory and a rename, so readers see the
    // old file or the new one, never half of one, and no temporary file outlives the call
    // (signals that would end the process wait until it is gone). The file is readable by its
    // owner only. With `no_clobber` an existing file is an error; a directory always is.
    virtual Result<void> write_file_atomic(const std::string& path, std::string_view content, bool no_clobber) = 0;

    // Appends `lines` (whole lines, each ending in '\n') in one write under an exclusive lock,
    // creating the file with mode 0600 and missing parent directories with mode 0700. Only a
    // regular file is appended to, never through a symbolic link. A write that fails part way
    // (a full disk, a file-size limit) is cut back so the file ends with its last whole line.
    virtual Result<void> append_locked(const std::string& path, std::string_view lines) = 0;

    // Checks before the first append that append_locked(path) can work: the directory can be
    // created and written, and the file, if there is one, is a regular file that is not a
    // symbolic link and can be written. A file that others can read is made private (0600),
    // and the note returned says so.
    virtual Result<std::optional<std::string>> check_appendable(const std::string& path) = 0;

    // Whether two paths name the same file, or would once created.
    virtual bool same_file(const std::string& a, const std::string& b) = 0;

    // Opens `path` for reading at any offset; nullptr when there is no such file. Anything but
    // a regular file (a FIFO, a device, a directory) is refused rather than read, since reading
    // it could block or never end.
    virtual Result<std::unique_ptr<RandomAccessFile>> open_for_reading(const std::string& path) = 0;
};

class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock time, for dates recorded in the history.
    virtual std::chrono::system_clock::time_point now() = 0;
    // Time that never jumps, for measuring how long an answer took.
    virtual std::chrono::steady_clock::time_point monotonic() = 0;
    // Offset of local time from UTC at `at`, so that "today" and streaks follow the user's
    // calendar rather than Greenwich's.
    virtual std::chrono::seconds utc_offset(std::chrono::system_clock::time_point at) = 0;
};

// A snapshot of the environment variables the program reads, taken once at start-up.
using Environment = std::map<std::string, std::string, std::less<>>;

std::optional<std::string> lookup(const Environment& env, std::string_view name);

}  // namespace ehrprep
