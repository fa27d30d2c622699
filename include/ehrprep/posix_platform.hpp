#pragma once

#include <cstddef>
#include <string>

#include "ehrprep/platform.hpp"

namespace ehrprep {

class PosixFileSystem final : public FileSystem {
public:
    Result<std::string> read_file(const std::string& path, std::size_t max_bytes) override;
    Result<void> write_file_atomic(const std::string& path, std::string_view content, bool no_clobber) override;
    Result<void> append_locked(const std::string& path, std::string_view lines) override;
    Result<std::optional<std::string>> check_appendable(const std::string& path) override;
    bool same_file(const std::string& a, const std::string& b) override;
    Result<std::unique_ptr<RandomAccessFile>> open_for_reading(const std::string& path) override;
};

class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
    std::chrono::steady_clock::time_point monotonic() override { return std::chrono::steady_clock::now(); }
    std::chrono::seconds utc_offset(std::chrono::system_clock::time_point at) override;
};

Environment capture_environment(char** envp);

bool is_terminal(int fd);

// Columns of the terminal on `fd`, or 0 when it is not a terminal or will not say.
std::size_t terminal_columns(int fd);

}  // namespace ehrprep
