#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ehrprep::test {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal number when killed by a signal
    std::string out;
    std::string err;
};

struct ProcessOptions {
    std::string input;                            // written to stdin, which is then closed
    std::map<std::string, std::string> env;       // replaces the environment entirely
    std::optional<std::string> working_directory;
};

// Runs the program with pipes for stdin, stdout and stderr (so none is a terminal).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the built ehrprep with a minimal environment plus `extra_env`.
ProcessResult run_ehrprep(const std::vector<std::string>& args, const std::string& input = {},
                          const std::map<std::string, std::string>& extra_env = {});

// A fresh directory under /tmp, removed with everything in it when this goes out of scope.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
    void write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

std::string read_text_file(const std::string& path);

}  // namespace ehrprep::test
