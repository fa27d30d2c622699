#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <sys/ioctl.h>

#include "ehrprep/posix_platform.hpp"
#include "ehrprep/terminal_answer_source.hpp"
#include "ehrprep/text_layout.hpp"
#include "support/pty.hpp"

using namespace ehrprep;
using namespace std::chrono_literals;
using test::Pty;

namespace {

// Keys typed in cooked mode would be taken by the terminal's own line editing (a Ctrl-C lost
// there would leave a read waiting forever), so a typist waits for raw mode, within reason.
void wait_for_raw_mode(const Pty& pty) {
    const auto give_up = std::chrono::steady_clock::now() + 3s;
    while ((pty.settings().c_lflag & ICANON) != 0 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(5ms);
}

// Keys typed a little later, once the source has put the terminal in raw mode, as a person
// would: each step waits, then types.
class Typist {
public:
    using Step = std::pair<std::chrono::milliseconds, std::string>;
    Typist(const Pty& pty, std::string keys, std::chrono::milliseconds delay = 100ms)
        : Typist(pty, std::vector<Step>{{delay, std::move(keys)}}) {}
    Typist(const Pty& pty, std::vector<Step> steps)
        : thread_([&pty, steps = std::move(steps)] {
              for (const auto& [delay, keys] : steps) {
                  std::this_thread::sleep_for(delay);
                  wait_for_raw_mode(pty);
                  pty.type(keys);
              }
          }) {}
    Typist(const Typist&) = delete;
    Typist& operator=(const Typist&) = delete;
    ~Typist() { thread_.join(); }

private:
    std::thread thread_;
};

// A deadline far enough away not to matter, so that a test that goes wrong fails instead of
// waiting forever.
AnswerRequest guarded() {
    AnswerRequest request;
    request.deadline = std::chrono::steady_clock::now() + 10s;
    return request;
}

bool same_modes(const termios& a, const termios& b) {
    return a.c_lflag == b.c_lflag && a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag;
}

termios settings_of(int fd) {
    termios t{};
    ::tcgetattr(fd, &t);
    return t;
}

// Each redraw starts by clearing to the end of the screen: the frames drawn, in order, without
// carriage returns (the terminal's output processing adds its own before each newline).
std::vector<std::string> frames(std::string screen) {
    std::erase(screen, '\r');
    std::vector<std::string> out;
    std::size_t at = screen.find("\x1b[J");
    while (at != std::string::npos) {
        std::size_t next = screen.find("\x1b[J", at + 3);
        out.push_back(screen.substr(at + 3, next == std::string::npos ? std::string::npos : next - at - 3));
        at = next;
    }
    return out;
}

struct Fixture {
    explicit Fixture(bool color = false, unsigned short columns = 80, unsigned short rows = 24)
        : pty(columns, rows), source(pty.slave(), pty.slave(), clock, signals, Style(color), true, columns) {}
    Pty pty;
    SystemClock clock;
    SignalWatch signals;
    TerminalAnswerSource source;
};

}  // namespace

TEST_CASE("a blank line submits what was typed and the terminal is restored", "[terminal]") {
    Fixture f;
    const termios before = settings_of(f.pty.slave());
    AnswerInput input;
    {
        Typist typist(f.pty, "hello\rworld\r\r");
        input = f.source.read_answer(guarded());
    }
    CHECK(input.end == AnswerEnd::Submitted);
    CHECK(input.text == "hello\nworld");
    const termios after = settings_of(f.pty.slave());
    CHECK(same_modes(before, after));
    CHECK((after.c_lflag & ICANON) != 0);
    CHECK((after.c_lflag & ECHO) != 0);
    const std::string& screen = f.pty.read_for(100ms);
    CHECK(screen.find("blank line submits · :skip · :quit") != std::string::npos);
    // Bracketed paste is switched on for the answer and off again after it.
    const auto paste_on = screen.rfind("\x1b[?2004h");
    const auto paste_off = screen.rfind("\x1b[?2004l");
    REQUIRE(paste_on != std::string::npos);
    REQUIRE(paste_off != std::string::npos);
    CHECK(paste_off > paste_on);
    // The final frame keeps the answer on screen without the status row, then a fresh line.
    const std::string last = frames(screen).back();
    CHECK(last.find("> hello\n  world\n") == 0);
    CHECK(last.find("submits") == std::string::npos);
}

TEST_CASE("the deadline returns everything typed, the unfinished line too", "[terminal]") {
    Fixture f(true);
    const termios before = settings_of(f.pty.slave());
    const auto start = std::chrono::steady_clock::now();
    AnswerRequest request;
    request.deadline = start + 1500ms;
    AnswerInput input;
    {
        Typist typist(f.pty, "first line\rsecond unfinished");
        input = f.source.read_answer(request);
    }
    const auto late = std::chrono::steady_clock::now() - *request.deadline;
    CHECK(input.end == AnswerEnd::TimedOut);
    CHECK(input.text == "first line\nsecond unfinished");
    CHECK(late >= 0ms);
    CHECK(late < 100ms);
    CHECK(same_modes(before, settings_of(f.pty.slave())));
    const std::string& screen = f.pty.read_for(100ms);
    CHECK(screen.find("0:02 left") != std::string::npos);
    CHECK(screen.find("0:01 left") != std::string::npos);
    // Ten seconds or less: red and bold.
    CHECK(screen.find("\x1b[1m\x1b[31m⏱ 0:01 left") != std::string::npos);
}

TEST_CASE("the countdown warns in words when colour is off", "[terminal]") {
    Pty pty;
    SystemClock clock;
    SignalWatch signals;
    TerminalAnswerSource source(pty.slave(), pty.slave(), clock, signals, Style(false), false, 80);
    AnswerRequest request;
    request.deadline = std::chrono::steady_clock::now() + 200ms;
    CHECK(source.read_answer(request).end == AnswerEnd::TimedOut);
    const std::string& screen = pty.read_for(100ms);
    CHECK(screen.find("Time left 0:01 - HURRY - blank line submits - :skip - :quit") != std::string::npos);
    CHECK(screen.find("\x1b[3") == std::string::npos);
}

TEST_CASE("Ctrl-C interrupts and hands back what was typed so the quiz can say it was not saved", "[terminal]") {
    Fixture f;
    const termios before = settings_of(f.pty.slave());
    Typist typist(f.pty, "some text\x03");
    AnswerInput input = f.source.read_answer(guarded());
    CHECK(input.end == AnswerEnd::Interrupted);
    CHECK(input.text == "some text");
    CHECK(same_modes(before, settings_of(f.pty.slave())));
}

TEST_CASE("a signal interrupts a read with no keys pressed", "[terminal]") {
    Fixture f;
    const termios before = settings_of(f.pty.slave());
    ::raise(SIGTERM);  // pending on the signalfd, since SignalWatch blocks it
    AnswerInput input = f.source.read_answer(guarded());
    CHECK(input.end == AnswerEnd::Interrupted);
    CHECK(same_modes(before, settings_of(f.pty.slave())));
}

TEST_CASE("a closed terminal interrupts", "[terminal]") {
    Fixture f;
    f.pty.close_master();
    CHECK(f.source.read_answer(guarded()).end == AnswerEnd::Interrupted);
}

TEST_CASE("Ctrl-D ends input on an empty answer and submits a typed one", "[terminal]") {
    Fixture f;
    {
        Typist typist(f.pty, "\x04");
        CHECK(f.source.read_answer(guarded()).end == AnswerEnd::EndOfInput);
    }
    {
        Typist typist(f.pty, "typed\x04");
        AnswerInput input = f.source.read_answer(guarded());
        CHECK(input.end == AnswerEnd::Submitted);
        CHECK(input.text == "typed");
    }
}

TEST_CASE(":skip and :quit end the answer", "[terminal]") {
    Fixture f;
    {
        Typist typist(f.pty, ":skip\r");
        CHECK(f.source.read_answer(guarded()).end == AnswerEnd::Skipped);
    }
    {
        Typist typist(f.pty, "\x1b[A:quit\r");
        CHECK(f.source.read_answer(guarded()).end == AnswerEnd::Quit);
    }
}

TEST_CASE("pasted paragraphs stay in one answer", "[terminal]") {
    Fixture f;
    Typist typist(f.pty, "\x1b[200~one\r\rtwo\x1b[201~\r\r");
    AnswerInput input = f.source.read_answer(guarded());
    CHECK(input.end == AnswerEnd::Submitted);
    CHECK(input.text == "one\n\ntwo");
}

TEST_CASE("Ctrl-D submits a pasted answer from an empty line, keeping its blank lines", "[terminal]") {
    Fixture f;
    Typist typist(f.pty, "\x1b[200~one\r\rtwo\r\x1b[201~\x04");
    AnswerInput input = f.source.read_answer(guarded());
    CHECK(input.end == AnswerEnd::Submitted);
    CHECK(input.text == "one\n\ntwo");
}

TEST_CASE("on a wide terminal the answer wraps at the measure the question wraps at", "[terminal]") {
    Fixture f(false, 160, 24);
    std::string words;
    for (int k = 0; k < 40; ++k) words += "answer ";
    Typist typist(f.pty, {{100ms, words}, {200ms, "\r\r"}});
    CHECK(f.source.read_answer(guarded()).end == AnswerEnd::Submitted);
    const std::vector<std::string> drawn = frames(f.pty.read_for(100ms));
    REQUIRE_FALSE(drawn.empty());
    std::size_t widest = 0;
    for (const std::string& frame : drawn) {
        std::size_t start = 0;
        for (std::size_t end = frame.find('\n'); end != std::string::npos; end = frame.find('\n', start)) {
            widest = std::max(widest, display_width(frame.substr(start, end - start)));
            start = end + 1;
        }
    }
    CHECK(widest > 80);
    CHECK(widest <= kTextMeasure);
}

TEST_CASE("an answer taller than the screen shows its last rows", "[terminal]") {
    Fixture f(false, 20, 4);
    Typist typist(f.pty, {{100ms, "a\rb\rc\rd\re\rf\r"}, {200ms, "\r"}});
    CHECK(f.source.read_answer(guarded()).text == "a\nb\nc\nd\ne\nf");
    const std::vector<std::string> drawn = frames(f.pty.read_for(100ms));
    REQUIRE(drawn.size() >= 2);
    const std::string& tallest = drawn[drawn.size() - 2];
    // Status row plus three input rows, ending with the empty row the cursor is on.
    CHECK(tallest.find("\n  e\n  f\n  \x1b[2C") != std::string::npos);
    CHECK(tallest.find("  d") == std::string::npos);
}

TEST_CASE("after feedback one key chooses, and Ctrl-C or a signal interrupts", "[terminal]") {
    Fixture f;
    const termios before = settings_of(f.pty.slave());
    FeedbackOffer offer;
    offer.example = true;
    offer.rating = Rating::Good;
    auto choose = [&](const char* keys, const FeedbackOffer& o) {
        Typist typist(f.pty, keys);
        return f.source.after_feedback(o);
    };
    CHECK(choose(" ", offer) == FeedbackChoice::Continue);
    CHECK(choose("\x1b[B", offer) == FeedbackChoice::Continue);  // an arrow key goes on
    CHECK(choose("r", offer) == FeedbackChoice::Retry);
    CHECK(choose("e", offer) == FeedbackChoice::ShowExample);
    CHECK(choose("2", offer) == FeedbackChoice::RateHard);
    CHECK(choose("4", offer) == FeedbackChoice::RateEasy);
    CHECK(choose("e", FeedbackOffer{}) == FeedbackChoice::Continue);  // nothing to show: it just goes on
    CHECK(choose("3", FeedbackOffer{}) == FeedbackChoice::Continue);  // not a review: no rating
    CHECK(choose("\x03", offer) == FeedbackChoice::Interrupted);
    ::raise(SIGHUP);
    CHECK(f.source.after_feedback(offer) == FeedbackChoice::Interrupted);
    CHECK(same_modes(before, settings_of(f.pty.slave())));
    const std::string shown = f.pty.read_for(100ms);
    CHECK(shown.find("r retry · e example answer · 1-4 rating (Good) · any other key: next question") !=
          std::string::npos);
}

TEST_CASE("a narrowed terminal is redrawn from the top of its split rows", "[terminal]") {
    Fixture f(false, 40, 24);
    std::thread person([&pty = f.pty] {
        std::this_thread::sleep_for(100ms);
        wait_for_raw_mode(pty);
        pty.type(std::string(30, 'a') + "\rb");
        std::this_thread::sleep_for(100ms);
        winsize narrow{};
        narrow.ws_col = 20;
        narrow.ws_row = 24;
        ::ioctl(pty.master(), TIOCSWINSZ, &narrow);
        std::this_thread::sleep_for(400ms);
        pty.type("\r\r");
    });
    AnswerInput input = f.source.read_answer(guarded());
    person.join();
    CHECK(input.text == std::string(30, 'a') + "\nb");
    const std::vector<std::string> drawn = frames(f.pty.read_for(100ms));
    REQUIRE(drawn.size() >= 3);
    // The status row (39 columns) and "> aaa…" (32) each became two rows at 20 columns.
    CHECK(f.pty.screen().find("\x1b[4A\x1b[J") != std::string::npos);
    CHECK(drawn[drawn.size() - 2].find("> aaaaaaaaaaaaaaaaa\n  aaaaaaaaaaaaa\n  b") != std::string::npos);
}
