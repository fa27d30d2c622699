#include "ehrprep/posix_platform.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace ehrprep {
namespace {

Error errno_error(std::string_view action, const std::string& path) {
    return Error{fmt::format("cannot {} {}: {}", action, path, std::strerror(errno)), kExitFailure};
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string parent_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Only regular files are read or appended to: a FIFO would block, and a device such as
// /dev/zero never ends.
Result<void> require_regular(const struct stat& st, std::string_view action, const std::string& path) {
    if (S_ISREG(st.st_mode)) return {};
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return errno_error(action, path);
    }
    const char* kind = S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device";
    return Error{fmt::format("cannot {} {}: it is {}, not a regular file", action, path, kind), kExitFailure};
}

// Why opening a file to append failed, in words that say what to do about it.
Error open_for_append_error(const std::string& path) {
    if (errno == ELOOP)
        return Error{fmt::format("cannot append to {}: it is a symbolic link, and ehrprep writes only to a regular "
                                 "file there (replace the link with the file it points to)",
                                 path),
                     kExitFailure};
    if (errno == ENXIO) return Error{fmt::format("cannot append to {}: it is a FIFO, not a regular file", path), kExitFailure};
    return errno_error("append to", path);
}

// Where a path names a file: its directory resolved, so that two spellings of one place match
// before the file exists.
std::string resolved_location(const std::string& path) {
    auto slash = path.find_last_of('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    char* dir = ::realpath(parent_of(path).c_str(), nullptr);
    if (dir == nullptr) return path;
    std::string resolved = std::string(dir) + "/" + name;
    std::free(dir);
    return resolved;
}

// Holds back SIGINT, SIGTERM, SIGHUP and SIGQUIT while alive; one that arrived meanwhile is
// delivered when it ends.
class SignalsHeld {
public:
    SignalsHeld() {
        sigset_t held;
        sigemptyset(&held);
        for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&held, signo);
        pthread_sigmask(SIG_BLOCK, &held, &previous_);
    }
    SignalsHeld(const SignalsHeld&) = delete;
    SignalsHeld& operator=(const SignalsHeld&) = delete;
    ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

private:
    sigset_t previous_{};
};

Result<void> make_directories(const std::string& dir, mode_t mode) {
    if (dir.empty() || dir == "." || dir == "/") return {};
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        errno = ENOTDIR;
        return errno_error("create directory", dir);
    }
    if (auto parent = make_directories(parent_of(dir), mode); !parent) return parent;
    if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) return errno_error("create directory", dir);
    return {};
}

}  // namespace

Result<std::string> PosixFileSystem::read_file(const std::string& path, std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return errno_error("read", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("read", path);
    if (auto regular = require_regular(st, "read", path); !regular) return std::move(regular).error();
    std::string content;
    char buffer[65536];
    while (content.size() <= max_bytes) {
        const std::size_t left = max_bytes - content.size();
        const std::size_t want = left >= sizeof buffer ? sizeof buffer : left + 1;
        ssize_t n = ::read(fd.get(), buffer, want);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_error("read", path);
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

Result<void> PosixFileSystem::write_file_atomic(const std::string& path, std::string_view content, bool no_clobber) {
    struct stat existing {};
    if ((!path.empty() && path.back() == '/') || (::stat(path.c_str(), &existing) == 0 && S_ISDIR(existing.st_mode)))
        return Error{fmt::format("cannot write {}: it is a directory (give a file name)", path), kExitFailure};
    if (no_clobber && ::access(path.c_str(), F_OK) == 0) {
        return Error{fmt::format("{} already exists (remove it or drop --no-clobber)", path), kExitFailure};
    }
    // From the temporary file's creation to its rename or removal, a signal that would end the
    // process waits, so that no half-written copy is left behind.
    const SignalsHeld held;
    std::string temp = path + ".XXXXXX.tmp";
    std::vector<char> pattern(temp.begin(), temp.end());
    pattern.push_back('\0');
    // mkstemps creates the file 0600, which it keeps: reports hold a practice record.
    FileDescriptor fd(::mkstemps(pattern.data(), 4));
    if (fd.get() < 0) return errno_error("create a temporary file beside", path);
    std::string temp_path(pattern.data());
    if (!write_all(fd.get(), content) || ::fsync(fd.get()) != 0) {
        Error error = errno_error("write", temp_path);
        ::unlink(temp_path.c_str());
        return error;
    }
    ::close(fd.release());
    if (no_clobber) {
        // link() fails if the target appeared meanwhile, where rename() would replace it.
        if (::link(temp_path.c_str(), path.c_str()) != 0) {
            Error error = errno_error("create", path);
            ::unlink(temp_path.c_str());
            return error;
        }
        ::unlink(temp_path.c_str());
        return {};
    }
    if (::rename(temp_path.c_str(), path.c_str()) != 0) {
        Error error = errno_error("replace", path);
        ::unlink(temp_path.c_str());
        return error;
    }
    return {};
}

Result<void> PosixFileSystem::append_locked(const std::string& path, std::string_view lines) {
    if (auto made = make_directories(parent_of(path), 0700); !made) return made;
    FileDescriptor fd(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
    if (fd.get() < 0) return open_for_append_error(path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("append to", path);
    if (auto regular = require_regular(st, "append to", path); !regular) return regular;
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR) return errno_error("lock", path);
    }
    // Under the lock the size is final: another session's line is either all there or not yet.
    if (::fstat(fd.get(), &st) != 0) return errno_error("append to", path);
    const off_t before = st.st_size;
    // A crash mid-line leaves a torn last line; start on a fresh line so ours stays whole.
    std::string payload;
    if (before > 0) {
        char last = '\n';
        if (::pread(fd.get(), &last, 1, before - 1) == 1 && last != '\n') payload.push_back('\n');
    }
    payload.append(lines);
    if (!write_all(fd.get(), payload) || ::fsync(fd.get()) != 0) {
        Error error = errno_error("append to", path);
        // Whatever part of the line was written goes, so the file still ends on a whole line.
        while (::ftruncate(fd.get(), before) != 0 && errno == EINTR) {
        }
        return error;
    }
    return {};
}

Result<std::optional<std::string>> PosixFileSystem::check_appendable(const std::string& path) {
    const std::string dir = parent_of(path);
    if (auto made = make_directories(dir, 0700); !made) return std::move(made).error();
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno != ENOENT) return open_for_append_error(path);
        if (::access(dir.c_str(), W_OK | X_OK) != 0) return errno_error("create files in", dir);
        return std::optional<std::string>();
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("append to", path);
    if (auto regular = require_regular(st, "append to", path); !regular) return std::move(regular).error();
    const mode_t shared = st.st_mode & 077;
    if (shared == 0) return std::optional<std::string>();
    const std::string mode = fmt::format("{:04o}", st.st_mode & 07777);
    if (::fchmod(fd.get(), st.st_mode & 0700) != 0)
        return std::optional<std::string>(fmt::format("{} can be read by others (mode {}) and could not be made private: {}",
                                                      path, mode, std::strerror(errno)));
    return std::optional<std::string>(
        fmt::format("{} could be read by others (mode {}): it is now readable by you only (0600)", path, mode));
}

bool PosixFileSystem::same_file(const std::string& a, const std::string& b) {
    struct stat sa {};
    struct stat sb {};
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return resolved_location(a) == resolved_location(b);
}

namespace {

class PosixRandomAccessFile final : public RandomAccessFile {
public:
    PosixRandomAccessFile(int fd, std::uint64_t size, std::string path) : fd_(fd), size_(size), path_(std::move(path)) {}

    [[nodiscard]] std::uint64_t size() const override { return size_; }

    Result<std::size_t> read_at(std::uint64_t offset, std::span<char> into) const override {
        std::size_t total = 0;
        while (total < into.size()) {
            const ssize_t n = ::pread(fd_.get(), into.data() + total, into.size() - total,
                                      static_cast<off_t>(offset + total));
            if (n < 0) {
                if (errno == EINTR) continue;
                return errno_error("read", path_);
            }
            if (n == 0) break;
            total += static_cast<std::size_t>(n);
        }
        return total;
    }

private:
    FileDescriptor fd_;
    std::uint64_t size_;
    std::string path_;
};

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> PosixFileSystem::open_for_reading(const std::string& path) {
    // Without O_NONBLOCK, opening a FIFO waits for a writer that may never come.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::unique_ptr<RandomAccessFile>();
        return errno_error("read", path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("read", path);
    if (auto regular = require_regular(st, "read", path); !regular) return std::move(regular).error();
    return std::unique_ptr<RandomAccessFile>(
        std::make_unique<PosixRandomAccessFile>(fd.release(), static_cast<std::uint64_t>(st.st_size), path));
}

Environment capture_environment(char** envp) {
    Environment env;
    for (char** entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        auto eq = text.find('=');
        if (eq != std::string_view::npos) env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
    return env;
}

std::chrono::seconds SystemClock::utc_offset(std::chrono::system_clock::time_point at) {
    std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    ::localtime_r(&t, &local);
    return std::chrono::seconds(local.tm_gmtoff);
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

std::size_t terminal_columns(int fd) {
    struct winsize size {};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 0;
}

}  // namespace ehrprep
