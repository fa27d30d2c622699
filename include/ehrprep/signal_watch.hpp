#pragma once

#include <csignal>

namespace ehrprep {

// Turns SIGINT, SIGTERM and SIGHUP into a readable file descriptor (signalfd) for as long as
// it lives, so input loops can poll() for a keystroke and a signal together and unwind
// normally, restoring the terminal on the way out, instead of dying inside a handler.
class SignalWatch {
public:
    SignalWatch();
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;
    ~SignalWatch();

    // Readable when a watched signal has arrived.
    [[nodiscard]] int fd() const { return fd_; }
    // The signal that arrived, consuming it; 0 if none is pending.
    int take();

private:
    sigset_t previous_mask_{};
    int fd_ = -1;
};

}  // namespace ehrprep
