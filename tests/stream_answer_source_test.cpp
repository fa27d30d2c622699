#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <unistd.h>

#include "ehrprep/posix_platform.hpp"
#include "ehrprep/stream_answer_source.hpp"

using namespace ehrprep;
using namespace std::chrono_literals;

namespace {

// A pipe whose read end feeds a StreamAnswerSource.
struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() { REQUIRE(::pipe(fds) == 0); }
    ~Pipe() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
    void write(const std::string& text) const { REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size())); }
    void close_writer() {
        ::close(fds[1]);
        fds[1] = -1;
    }
};

// A StreamAnswerSource reading the pipe, with the real clock and a signal watch.
struct Feed {
    Pipe pipe;
    SystemClock clock;
    SignalWatch signals;
    StreamAnswerSource source{pipe.fds[0], clock, signals};
};

}  // namespace

TEST_CASE("answers are separated by blank lines and keep their own lines", "[stream]") {
    Feed feed;
    auto& [pipe, clock, signals, source] = feed;
    pipe.write("\n\nfirst line\nsecond line\n\n:skip\nthird\r\n\n:quit\n");
    pipe.close_writer();
    AnswerInput one = source.read_answer({});
    CHECK(one.end == AnswerEnd::Submitted);
    CHECK(one.text == "first line\nsecond line");
    CHECK(source.read_answer({}).end == AnswerEnd::Skipped);
    AnswerInput three = source.read_answer({});
    CHECK(three.text == "third");
    CHECK(source.read_answer({}).end == AnswerEnd::Quit);
    CHECK(source.read_answer({}).end == AnswerEnd::EndOfInput);
    CHECK(source.after_feedback({}) == FeedbackChoice::Continue);  // a pipe never waits
}

TEST_CASE("the end of input submits an answer without a closing blank line", "[stream]") {
    Feed feed;
    auto& [pipe, clock, signals, source] = feed;
    pipe.write("last answer, no newline");
    pipe.close_writer();
    AnswerInput last = source.read_answer({});
    CHECK(last.end == AnswerEnd::Submitted);
    CHECK(last.text == "last answer, no newline");
    CHECK(source.read_answer({}).end == AnswerEnd::EndOfInput);
}

TEST_CASE("a deadline submits everything so far, the unfinished line too", "[stream]") {
    Feed feed;
    auto& [pipe, clock, signals, source] = feed;
    pipe.write("a finished line\nand half of ano");
    const auto start = clock.monotonic();
    AnswerInput input = source.read_answer(AnswerRequest{1, 1, start + 200ms});
    CHECK(input.end == AnswerEnd::TimedOut);
    CHECK(input.text == "a finished line\nand half of ano");
    CHECK(clock.monotonic() - start >= 200ms);
    CHECK(clock.monotonic() - start < 2s);
}

TEST_CASE("SIGINT or SIGTERM while waiting interrupts the answer", "[stream]") {
    Feed feed;
    auto& [pipe, clock, signals, source] = feed;
    pipe.write("typed but not submitted\n");
    for (int signal : {SIGINT, SIGTERM}) {
        ::kill(::getpid(), signal);  // blocked by the watch, so it waits to be read
        AnswerInput input = source.read_answer({});
        CHECK(input.end == AnswerEnd::Interrupted);
        CHECK(input.text.empty());
    }
}
