#include "ehrprep/stream_answer_source.hpp"

#include <cerrno>
#include <algorithm>
#include <chrono>

#include <poll.h>
#include <unistd.h>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

std::string trimmed(std::string_view line) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = line.find_last_not_of(" \t\r");
    return std::string(line.substr(first, last - first + 1));
}

}  // namespace

StreamAnswerSource::Fill StreamAnswerSource::fill(const AnswerRequest& request) {
    if (closed_) return Fill::EndOfInput;
    for (;;) {
        int timeout_ms = -1;
        if (request.deadline) {
            const auto left = *request.deadline - clock_.monotonic();
            if (left <= std::chrono::steady_clock::duration::zero()) return Fill::TimedOut;
            timeout_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
        }
        pollfd fds[2] = {{fd_, POLLIN, 0}, {signals_.fd(), POLLIN, 0}};
        int ready = ::poll(fds, 2, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            closed_ = true;
            return Fill::EndOfInput;
        }
        if (fds[1].revents & POLLIN) {
            signals_.take();
            return Fill::Interrupted;
        }
        if (ready == 0) continue;  // the deadline check at the top decides
        char buffer[4096];
        ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            closed_ = true;
            return Fill::EndOfInput;
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
        return Fill::Data;
    }
}

AnswerInput StreamAnswerSource::read_answer(const AnswerRequest& request) {
    std::string answer;
    bool truncated = false;
    // Up to kMaxAnswerBytes are kept; the rest of the answer is read and dropped, so that a
    // runaway pipe costs time but not memory.
    auto keep = [&](std::string_view text) {
        const std::size_t room = kMaxAnswerBytes - std::min(answer.size(), kMaxAnswerBytes);
        const std::size_t taken = utf8_prefix_length(text, room);
        answer.append(text.substr(0, taken));
        if (taken < text.size()) truncated = true;
    };
    auto finish = [&](AnswerEnd end) {
        while (!answer.empty() && answer.back() == '\n') answer.pop_back();
        return AnswerInput{end, answer, truncated};
    };
    for (;;) {
        auto newline = pending_.find('\n');
        if (skipping_line_) {
            // The rest of a line too long to keep: dropped up to its end.
            if (newline == std::string::npos) {
                pending_.clear();
            } else {
                pending_.erase(0, newline + 1);
                skipping_line_ = false;
                continue;
            }
        } else if (newline != std::string::npos) {
            std::string line = pending_.substr(0, newline);
            pending_.erase(0, newline + 1);
            const std::string command = trimmed(line);
            if (command.empty()) {
                if (answer.empty()) continue;  // blank lines before an answer separate nothing
                return finish(AnswerEnd::Submitted);
            }
            if (command == ":skip") return finish(AnswerEnd::Skipped);
            if (command == ":quit") return finish(AnswerEnd::Quit);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            keep(line + '\n');
            continue;
        } else if (pending_.size() > kMaxAnswerBytes) {
            // A line longer than an answer may be is no command: keep what fits, drop the rest.
            keep(pending_);
            keep("\n");
            pending_.clear();
            skipping_line_ = true;
        }
        switch (fill(request)) {
            case Fill::Data: break;
            case Fill::Interrupted:
                answer += pending_;
                pending_.clear();
                return finish(AnswerEnd::Interrupted);
            case Fill::TimedOut:
                // Everything that arrived counts, the line still being written too.
                keep(pending_);
                pending_.clear();
                return finish(AnswerEnd::TimedOut);
            case Fill::EndOfInput:
                if (const std::string last = trimmed(pending_); last == ":skip" || last == ":quit") {
                    pending_.clear();
                    return finish(last == ":skip" ? AnswerEnd::Skipped : AnswerEnd::Quit);
                }
                keep(pending_);
                pending_.clear();
                if (trimmed(answer).empty()) return AnswerInput{AnswerEnd::EndOfInput, {}};
                return finish(AnswerEnd::Submitted);
        }
    }
}

}  // namespace ehrprep
