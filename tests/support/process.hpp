#pragma once

#include <map>

#include <nlohmann/json.hpp>

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
    // Runs as this user and group id: a file the child cannot write, even when the suite runs
    // as root. The child exits 125 if it cannot switch.
    std::optional<unsigned> user;
};

// The environment run_ehrprep gives the built ehrprep, plus `extra_env`.
std::map<std::string, std::string> ehrprep_environment(const std::map<std::string, std::string>& extra_env = {});

// Runs the program with pipes for stdin, stdout and stderr (so none is a terminal).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the built ehrprep with a minimal environment plus `extra_env`.
ProcessResult run_ehrprep(const std::vector<std::string>& args, const std::string& input = {},
                          const std::map<std::string, std::string>& extra_env = {});

// A running ehrprep with stdin and stdout on pipes, for tests that act while it runs: send
// part of an answer, wait for a prompt, deliver a signal. Killed if still running at the end.
class RunningEhrprep {
public:
    explicit RunningEhrprep(const std::vector<std::string>& args);
    RunningEhrprep(const RunningEhrprep&) = delete;
    RunningEhrprep& operator=(const RunningEhrprep&) = delete;
    ~RunningEhrprep();

    void write(const std::string& text);
    // Reads stdout until `text` has appeared or `timeout_ms` passed without output.
    void read_until(const std::string& text, int timeout_ms = 10000);
    void signal(int signal_number);
    // Reads the rest of stdout and waits: the exit status, or 128 + the signal that killed it.
    int wait(int timeout_ms = 10000);
    [[nodiscard]] const std::string& output() const { return output_; }

private:
    bool read_some(int timeout_ms);
    int pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    std::string output_;
};

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

// Each line of a JSON Lines file (the history), parsed.
std::vector<nlohmann::json> read_json_lines(const std::string& path);

}  // namespace ehrprep::test
