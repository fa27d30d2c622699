#include "ehrprep/posix_platform.hpp"

#include <cerrno>
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

Result<std::string> PosixFileSystem::read_file(const std::string& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return errno_error("read", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return errno_error("read", path);
    }
    std::string content;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
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
    if (no_clobber && ::access(path.c_str(), F_OK) == 0) {
        return Error{fmt::format("{} already exists (remove it or drop --no-clobber)", path), kExitFailure};
    }
    std::string temp = path + ".XXXXXX.tmp";
    std::vector<char> pattern(temp.begin(), temp.end());
    pattern.push_back('\0');
    FileDescriptor fd(::mkstemps(pattern.data(), 4));
    if (fd.get() < 0) return errno_error("create a temporary file beside", path);
    std::string temp_path(pattern.data());
    // Reports are ordinary files: honour the umask rather than mkstemp's 0600.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd.get(), 0666 & ~mask);
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
    FileDescriptor fd(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) return errno_error("open", path);
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR) return errno_error("lock", path);
    }
    // A crash mid-line leaves a torn last line; start on a fresh line so ours stays whole.
    struct stat st {};
    std::string payload;
    if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) {
        char last = '\n';
        if (::pread(fd.get(), &last, 1, st.st_size - 1) == 1 && last != '\n') payload.push_back('\n');
    }
    payload.append(lines);
    if (!write_all(fd.get(), payload) || ::fsync(fd.get()) != 0) return errno_error("append to", path);
    return {};
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

std::string_view file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

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
    if (!S_ISREG(st.st_mode))
        return Error{fmt::format("cannot read {}: it is {}, not a regular file", path, file_kind(st.st_mode)),
                     kExitFailure};
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
