#pragma once

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "ehrprep/app_context.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep::test {

// Files in a map. write_file_atomic can be made to fail for a path, to check that a failed
// write leaves the old content in place as the real one does.
class MemoryFileSystem final : public FileSystem {
public:
    std::map<std::string, std::string> files;
    std::set<std::string> failing_writes;
    std::set<std::string> unreadable;
    std::set<std::string> failing_appends;  // append_locked and check_appendable fail for these

    Result<std::string> read_file(const std::string& path, std::size_t max_bytes) override;
    Result<void> write_file_atomic(const std::string& path, std::string_view content, bool no_clobber) override;
    Result<void> append_locked(const std::string& path, std::string_view lines) override;
    Result<std::optional<std::string>> check_appendable(const std::string& path) override;
    bool same_file(const std::string& a, const std::string& b) override { return a == b; }
    Result<std::unique_ptr<RandomAccessFile>> open_for_reading(const std::string& path) override;
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(Timestamp now, std::chrono::seconds offset = std::chrono::seconds{0}) : now_(now), offset_(offset) {}
    std::chrono::system_clock::time_point now() override { return now_; }
    std::chrono::steady_clock::time_point monotonic() override { return {}; }
    std::chrono::seconds utc_offset(std::chrono::system_clock::time_point) override { return offset_; }

private:
    std::chrono::system_clock::time_point now_;
    std::chrono::seconds offset_;
};

// An AppContext over string streams, a MemoryFileSystem and a FixedClock.
struct FakeApp {
    explicit FakeApp(Timestamp now = Timestamp{std::chrono::seconds{1'767'225'600}} /* 2026-01-01T00:00:00Z */,
                     Environment env = {});

    MemoryFileSystem files;
    FixedClock clock;
    std::ostringstream out;
    std::ostringstream err;
    std::istringstream in;
    AppContext ctx;
};

}  // namespace ehrprep::test
