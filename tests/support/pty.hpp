#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>
#include <termios.h>

namespace ehrprep::test {

// A pseudo-terminal pair: the "slave" side is what a program sees as its terminal, the
// master side is the person at the keyboard and the screen.
class Pty {
public:
    explicit Pty(unsigned short columns = 80, unsigned short rows = 24);
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;
    ~Pty();

    [[nodiscard]] int master() const { return master_; }
    [[nodiscard]] int slave() const { return slave_; }
    void close_master();

    // Types bytes as the keyboard would.
    void type(const std::string& bytes) const;
    // Reads what reached the screen until `done` says so or `timeout` passes; returns everything
    // read so far (kept across calls).
    const std::string& read_until(const std::function<bool(const std::string&)>& done,
                                  std::chrono::milliseconds timeout);
    const std::string& read_for(std::chrono::milliseconds duration);
    // Waits for `text` to appear at or after offset `from` of the screen (by default, in what
    // is read from now on).
    const std::string& wait_for_text(const std::string& text, std::chrono::milliseconds timeout,
                                     std::size_t from = std::string::npos);
    [[nodiscard]] const std::string& screen() const { return screen_; }

    [[nodiscard]] termios settings() const;

private:
    int master_ = -1;
    int slave_ = -1;
    std::string screen_;
};

// The built ehrprep running on its own pseudo-terminal, killed if still running at the end.
class PtyProcess {
public:
    PtyProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               unsigned short columns = 80);
    PtyProcess(const PtyProcess&) = delete;
    PtyProcess& operator=(const PtyProcess&) = delete;
    ~PtyProcess();

    Pty& pty() { return pty_; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] const termios& settings_before() const { return before_; }
    void signal(int signo) const;
    // The exit status (128 + signal when killed), or nothing if it did not end in time, in
    // which case it is killed. Reads the screen meanwhile so output never blocks the child.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    Pty pty_;
    termios before_{};
    pid_t pid_ = -1;
    std::optional<int> status_;
};

}  // namespace ehrprep::test
