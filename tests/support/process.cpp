#include "support/process.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ehrprep::test {

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<std::string> env_strings;
    for (const auto& [key, value] : options.env) env_strings.push_back(key + "=" + value);
    std::vector<char*> args, env;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (auto& e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        if (options.working_directory && ::chdir(options.working_directory->c_str()) != 0) ::_exit(126);
        if (options.user && (::setgroups(0, nullptr) != 0 || ::setgid(*options.user) != 0 || ::setuid(*options.user) != 0))
            ::_exit(125);
        ::execve(args[0], args.data(), env.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::signal(SIGPIPE, SIG_IGN);

    ProcessResult result;
    std::size_t written = 0;
    int in_fd = in_pipe[1];
    if (options.input.empty()) {
        ::close(in_fd);
        in_fd = -1;
    }
    int open_outputs = 2;
    std::array<char, 65536> buffer{};
    while (open_outputs > 0 || in_fd >= 0) {
        std::array<pollfd, 3> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_fd, POLLOUT, 0}}};
        int n = ::poll(fds.data(), 3, 60000);
        if (n <= 0) break;
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = ::read(fds[k].fd, buffer.data(), buffer.size());
            if (got <= 0) {
                ::close(fds[k].fd);
                (k == 0 ? out_pipe[0] : err_pipe[0]) = -1;
                --open_outputs;
            } else {
                (k == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(got));
            }
        }
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t put = ::write(in_fd, options.input.data() + written, options.input.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            if (put < 0 || written == options.input.size()) {
                ::close(in_fd);
                in_fd = -1;
            }
        }
    }
    if (in_fd >= 0) ::close(in_fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProcessResult run_ehrprep(const std::vector<std::string>& args, const std::string& input,
                          const std::map<std::string, std::string>& extra_env) {
    std::vector<std::string> argv{EHRPREP_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.input = input;
    options.env = ehrprep_environment(extra_env);
    return run_process(argv, options);
}

std::map<std::string, std::string> ehrprep_environment(const std::map<std::string, std::string>& extra_env) {
    std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent-home"}};
    // Sanitizer settings must reach the child for the asan build to report.
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name)) env[name] = value;
    for (const auto& [key, value] : extra_env) env[key] = value;
    return env;
}

RunningEhrprep::RunningEhrprep(const std::vector<std::string>& args) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> argv{EHRPREP_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> pointers;
    for (auto& a : argv) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(to_child[0], 0);
        ::dup2(from_child[1], 1);
        ::execv(pointers[0], pointers.data());
        ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_fd_ = to_child[1];
    stdout_fd_ = from_child[0];
    ::signal(SIGPIPE, SIG_IGN);
}

RunningEhrprep::~RunningEhrprep() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void RunningEhrprep::write(const std::string& text) {
    if (::write(stdin_fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("write to the child failed");
}

bool RunningEhrprep::read_some(int timeout_ms) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) <= 0) return false;
    char buffer[4096];
    ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(n));
    return true;
}

void RunningEhrprep::read_until(const std::string& text, int timeout_ms) {
    while (output_.find(text) == std::string::npos && read_some(timeout_ms)) {
    }
}

void RunningEhrprep::signal(int signal_number) { ::kill(pid_, signal_number); }

int RunningEhrprep::wait(int timeout_ms) {
    while (read_some(timeout_ms)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ehrprep-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
    std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& name, const std::string& content) const {
    std::ofstream out(file(name), std::ios::binary);
    out << content;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<nlohmann::json> read_json_lines(const std::string& path) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(read_text_file(path));
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

}  // namespace ehrprep::test
