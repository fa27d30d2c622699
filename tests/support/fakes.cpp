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

Result<void> MemoryFileSystem::for_each_line(const std::string& path,
                                             const std::function<void(std::string_view, std::size_t)>& visit) {
    if (unreadable.contains(path)) return Error{"cannot read " + path + ": Permission denied", kExitFailure};
    auto found = files.find(path);
    if (found == files.end()) return {};
    std::string_view rest = found->second;
    std::size_t number = 0;
    while (!rest.empty()) {
        auto newline = rest.find('\n');
        visit(rest.substr(0, newline), ++number);
        if (newline == std::string_view::npos) break;
        rest.remove_prefix(newline + 1);
    }
    return {};
}

FakeApp::FakeApp(Timestamp now, Environment env)
    : clock(now), ctx{Console{out, err, in, false, false, 0}, files, clock, std::move(env)} {}

}  // namespace ehrprep::test
