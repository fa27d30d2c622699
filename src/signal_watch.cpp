#include "ehrprep/signal_watch.hpp"

#include <cerrno>

#include <sys/signalfd.h>
#include <unistd.h>

namespace ehrprep {

SignalWatch::SignalWatch() {
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGHUP);
    // Blocked signals stay pending instead of killing the process; the fd reports them.
    pthread_sigmask(SIG_BLOCK, &watched, &previous_mask_);
    fd_ = signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
}

SignalWatch::~SignalWatch() {
    // A second Ctrl-C still pending would kill the process the moment it is unblocked.
    if (fd_ >= 0) {
        while (take() != 0) {
        }
        ::close(fd_);
    }
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

int SignalWatch::take() {
    signalfd_siginfo info{};
    ssize_t n = 0;
    do {
        n = ::read(fd_, &info, sizeof info);
    } while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof info) ? static_cast<int>(info.ssi_signo) : 0;
}

}  // namespace ehrprep
