#include "support/pty.hpp"

#include <cerrno>
#include <csignal>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

namespace ehrprep::test {

using Clock = std::chrono::steady_clock;

Pty::Pty(unsigned short columns, unsigned short rows) {
    winsize size{};
    size.ws_col = columns;
    size.ws_row = rows;
    if (::openpty(&master_, &slave_, nullptr, nullptr, &size) != 0) throw std::runtime_error("openpty failed");
    ::fcntl(master_, F_SETFD, FD_CLOEXEC);
    ::fcntl(slave_, F_SETFD, FD_CLOEXEC);
}

Pty::~Pty() {
    close_master();
    if (slave_ >= 0) ::close(slave_);
}

void Pty::close_master() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
}

void Pty::type(const std::string& bytes) const {
    std::size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(master_, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("writing to the pty failed");
        written += static_cast<std::size_t>(n);
    }
}

const std::string& Pty::read_until(const std::function<bool(const std::string&)>& done,
                                   std::chrono::milliseconds timeout) {
    const auto end = Clock::now() + timeout;
    char buffer[4096];
    while (!done(screen_)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
        if (left.count() <= 0) break;
        pollfd fd{master_, POLLIN, 0};
        int n = ::poll(&fd, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        ssize_t got = ::read(master_, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // EIO: nothing has the terminal open any more
        screen_.append(buffer, static_cast<std::size_t>(got));
    }
    return screen_;
}

const std::string& Pty::read_for(std::chrono::milliseconds duration) {
    return read_until([](const std::string&) { return false; }, duration);
}

const std::string& Pty::wait_for_text(const std::string& text, std::chrono::milliseconds timeout,
                                      std::size_t from) {
    if (from == std::string::npos) from = screen_.size();
    return read_until([&](const std::string& s) { return s.find(text, from) != std::string::npos; }, timeout);
}

termios Pty::settings() const {
    termios t{};
    if (::tcgetattr(master_, &t) != 0) throw std::runtime_error("tcgetattr on the pty failed");
    return t;
}

PtyProcess::PtyProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       unsigned short columns)
    : pty_(columns) {
    before_ = pty_.settings();
    std::vector<std::string> env_strings;
    for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::close(pty_.master());
        if (::login_tty(pty_.slave()) != 0) ::_exit(126);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
}

PtyProcess::~PtyProcess() {
    if (!status_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

void PtyProcess::signal(int signo) const { ::kill(pid_, signo); }

std::optional<int> PtyProcess::wait(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto end = Clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            pty_.read_for(std::chrono::milliseconds(50));
            return status_;
        }
        if (Clock::now() >= end) break;
        pty_.read_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = 128 + SIGKILL;
    return std::nullopt;
}

}  // namespace ehrprep::test
