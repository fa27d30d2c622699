#include "support/fakes.hpp"

namespace ehrprep::test {

Result<std::string> MemoryFileSystem::read_file(const std::string& path, std::size_t max_bytes) {
    auto found = files.find(path);
    if (found == files.end() || unreadable.contains(path)) return Error{"cannot read " + path + ": No such file or directory", kExitFailure};
    return found->second.substr(0, max_bytes + 1);
}

Result<void> MemoryFileSystem::write_file_atomic(const std::string& path, std::string_view content, bool no_clobber) {
    if (no_clobber && files.contains(path))
        return Error{path + " already exists (remove it or drop --no-clobber)", kExitFailure};
    if (failing_writes.contains(path)) return Error{"cannot write " + path + ".tmp: No space left on device", kExitFailure};
    files[path] = std::string(content);
    return {};
}

Result<void> MemoryFileSystem::append_locked(const std::string& path, std::string_view lines) {
    if (failing_appends.contains(path)) return Error{"cannot append to " + path + ": File too large", kExitFailure};
    files[path] += lines;
    return {};
}

Result<std::optional<std::string>> MemoryFileSystem::check_appendable(const std::string& path) {
    if (failing_appends.contains(path) && !files.contains(path))
        return Error{"cannot create files in " + path + ": Read-only file system", kExitFailure};
    return std::optional<std::string>();
}

namespace {

// A snapshot of the file's content when it was opened, as a real file's size is.
class MemoryRandomAccessFile final : public RandomAccessFile {
public:
    explicit MemoryRandomAccessFile(std::string content) : content_(std::move(content)) {}
    [[nodiscard]] std::uint64_t size() const override { return content_.size(); }
    Result<std::size_t> read_at(std::uint64_t offset, std::span<char> into) const override {
        if (offset >= content_.size()) return std::size_t{0};
        return content_.copy(into.data(), into.size(), static_cast<std::size_t>(offset));
    }

private:
    std::string content_;
};

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::open_for_reading(const std::string& path) {
    if (unreadable.contains(path)) return Error{"cannot read " + path + ": Permission denied", kExitFailure};
    auto found = files.find(path);
    if (found == files.end()) return std::unique_ptr<RandomAccessFile>();
    return std::unique_ptr<RandomAccessFile>(std::make_unique<MemoryRandomAccessFile>(found->second));
}

FakeApp::FakeApp(Timestamp now, Environment env)
    : clock(now), ctx{Console{out, err, in, false, false, 0}, files, clock, std::move(env)} {}

}  // namespace ehrprep::test
