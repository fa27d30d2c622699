#include "ehrprep/terminal_answer_source.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <string_view>
#include <utility>

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "ehrprep/text_layout.hpp"

namespace ehrprep {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kHideCursor = "\x1b[?25l";
constexpr std::string_view kShowCursor = "\x1b[?25h";
constexpr std::string_view kClearToEnd = "\x1b[J";
constexpr std::string_view kPasteOn = "\x1b[?2004h";
constexpr std::string_view kPasteOff = "\x1b[?2004l";
constexpr std::size_t kDefaultColumns = 80;
constexpr std::size_t kDefaultRows = 24;
// Narrower than this and the prompt leaves no room for text.
constexpr std::size_t kMinColumns = 10;
constexpr auto kWarnAt = 30s;
constexpr auto kUrgentAt = 10s;
// How often to look for a resized terminal (there is no SIGWINCH on the signalfd).
constexpr auto kResizeCheck = 250ms;

enum class Ready { Input, Signal, Timeout, Failed };

// Waits for a key, a signal or the timeout. ppoll rather than poll so that the deadline is
// met to the nanosecond instead of the millisecond.
Ready wait_for(int in_fd, int signal_fd, std::optional<std::chrono::nanoseconds> timeout) {
    for (;;) {
        pollfd fds[2] = {{in_fd, POLLIN, 0}, {signal_fd, POLLIN, 0}};
        timespec ts{};
        if (timeout) {
            ts.tv_sec = static_cast<time_t>(timeout->count() / 1'000'000'000);
            ts.tv_nsec = static_cast<long>(timeout->count() % 1'000'000'000);
        }
        int n = ::ppoll(fds, 2, timeout ? &ts : nullptr, nullptr);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Ready::Failed;
        }
        if (n == 0) return Ready::Timeout;
        if (fds[1].revents & POLLIN) return Ready::Signal;
        if (fds[0].revents & POLLNVAL) return Ready::Failed;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) return Ready::Input;
        return Ready::Timeout;
    }
}

// Bytes from the terminal; empty when it is closed (0 or EIO) or broken.
std::string read_some(int fd, bool& closed) {
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) return std::string(buffer, static_cast<std::size_t>(n));
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return {};
        closed = true;
        return {};
    }
}

std::string join_rows(const std::vector<std::string>& rows, std::size_t first) {
    std::string out;
    for (std::size_t i = first; i < rows.size(); ++i) {
        if (i > first) out += "\r\n";
        out += rows[i];
    }
    return out;
}

bool blank_row(std::string_view row) { return row.find_first_not_of(' ') == std::string_view::npos; }

// Columns the answer and its status row may take: the last column is left alone (writing there
// makes some terminals wrap early), and a wide terminal gets the measure the question was
// wrapped at, so that the answer lines up with it.
std::size_t text_room(std::size_t columns) { return std::min(columns - 1, kTextMeasure); }

}  // namespace

TerminalAnswerSource::TerminalAnswerSource(int in_fd, int out_fd, Clock& clock, SignalWatch& signals, Style style,
                                           bool unicode, std::size_t columns)
    : in_fd_(in_fd), out_fd_(out_fd), clock_(clock), signals_(signals), style_(style), unicode_(unicode),
      columns_(columns) {}

TerminalAnswerSource::~TerminalAnswerSource() { leave_raw_mode(); }

bool TerminalAnswerSource::enter_raw_mode(int when, bool bracketed_paste) {
    termios settings{};
    if (::tcgetattr(in_fd_, &settings) != 0) return false;
    saved_ = settings;
    settings.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
    settings.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL | INLCR | IGNCR);
    // OPOST stays on: the quiz's own "\n" still starts a new line.
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    while (::tcsetattr(in_fd_, when, &settings) != 0 && errno == EINTR) {
    }
    if (bracketed_paste) {
        write_out(std::string(kPasteOn));
        bracketed_paste_ = true;
    }
    return true;
}

void TerminalAnswerSource::leave_raw_mode() {
    if (bracketed_paste_) {
        write_out(std::string(kPasteOff));
        bracketed_paste_ = false;
    }
    if (saved_) {
        // TCSADRAIN: what was drawn reaches the screen first, and keys typed ahead are kept.
        while (::tcsetattr(in_fd_, TCSADRAIN, &*saved_) != 0 && errno == EINTR) {
        }
        saved_.reset();
    }
}

TerminalAnswerSource::ScreenSize TerminalAnswerSource::screen_size() const {
    ScreenSize size{columns_ > 0 ? columns_ : kDefaultColumns, kDefaultRows};
    winsize ws{};
    if (::ioctl(out_fd_, TIOCGWINSZ, &ws) == 0) {
        if (ws.ws_col > 0) size.columns = ws.ws_col;
        if (ws.ws_row > 0) size.rows = ws.ws_row;
    }
    if (size.columns < kMinColumns) size.columns = kMinColumns;
    if (size.rows < 2) size.rows = 2;
    return size;
}

std::string TerminalAnswerSource::status_line(std::optional<std::chrono::seconds> left, std::size_t room) const {
    const std::string_view separator = unicode_ ? " · " : " - ";
    const std::string help = fmt::format("blank line submits{0}:skip{0}:quit", separator);
    if (!left) return style_.dim(truncate_to_width(help, room, !unicode_));

    const auto secs = left->count();
    std::string timer =
        fmt::format(fmt::runtime(unicode_ ? "⏱ {}:{:02} left" : "Time left {}:{:02}"), secs / 60, secs % 60);
    const bool urgent = *left <= kUrgentAt;
    const bool warn = *left <= kWarnAt;
    // Without colour the warning still has to show.
    if (!style_.enabled() && urgent) timer += " - HURRY";
    else if (!style_.enabled() && warn) timer += " - hurry";
    timer = truncate_to_width(timer, room, !unicode_);
    const std::size_t used = display_width(timer);
    std::string rest;
    if (room > used + separator.size() + 4)
        rest = truncate_to_width(std::string(separator) + help, room - used, !unicode_);

    if (urgent) timer = style_.bold(style_.red(timer));
    else if (warn) timer = style_.yellow(timer);
    return timer + style_.dim(rest);
}

std::string TerminalAnswerSource::move_to_top(std::size_t columns) const {
    std::string out = "\r";
    if (!drawn_) return out;
    // A terminal narrowed since the last frame splits its rows (tmux, VTE, kitty, iTerm2 and
    // Windows Terminal do), each taking as many rows as its width needs at the new width.
    std::size_t up = cursor_column_ / columns;
    for (std::size_t width : rows_above_cursor_) up += width == 0 ? 1 : (width + columns - 1) / columns;
    if (up > 0) out += fmt::format("\x1b[{}A", up);
    return out;
}

void TerminalAnswerSource::draw(const LineEditor& editor, std::optional<std::chrono::seconds> left) {
    const ScreenSize size = screen_size();
    const InputView view = editor.render(text_room(size.columns), style_.cyan("> "));
    // Taller than the screen: the rows nearest the cursor matter, the status row stays on top.
    const std::size_t fits = size.rows - 1;
    const std::size_t first = view.rows.size() > fits ? view.rows.size() - fits : 0;

    std::string frame(kHideCursor);
    frame += move_to_top(size.columns);
    frame += kClearToEnd;
    const std::string status = status_line(left, text_room(size.columns));
    frame += status;
    frame += "\r\n";
    frame += join_rows(view.rows, first);
    frame += "\r";
    if (view.cursor_column > 0) frame += fmt::format("\x1b[{}C", view.cursor_column);
    frame += kShowCursor;
    write_out(frame);
    rows_above_cursor_.assign(1, display_width(status));
    for (std::size_t i = first; i < view.cursor_row; ++i) rows_above_cursor_.push_back(display_width(view.rows[i]));
    cursor_column_ = view.cursor_column;
    drawn_size_ = size;
    drawn_ = true;
}

void TerminalAnswerSource::draw_final(const LineEditor& editor) {
    const ScreenSize size = screen_size();
    InputView view = editor.render(text_room(size.columns), style_.cyan("> "));
    while (view.rows.size() > 1 && blank_row(view.rows.back())) view.rows.pop_back();
    std::string frame = move_to_top(size.columns);
    frame += kClearToEnd;
    frame += join_rows(view.rows, 0);
    frame += "\r\n";
    write_out(frame);
    rows_above_cursor_.clear();
    cursor_column_ = 0;
    drawn_ = false;
}

void TerminalAnswerSource::write_out(const std::string& data) const {
    std::string_view rest = data;
    while (!rest.empty()) {
        ssize_t n = ::write(out_fd_, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return;  // the terminal is gone; the read side reports it
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

AnswerInput TerminalAnswerSource::read_answer(const AnswerRequest& request) {
    LineEditor editor;
    KeyDecoder decoder;
    // TCSADRAIN: keys typed while the question was printed belong to this answer.
    enter_raw_mode(TCSADRAIN, true);
    struct Restore {
        TerminalAnswerSource& source;
        ~Restore() { source.leave_raw_mode(); }
    } restore{*this};
    auto finish = [&](AnswerEnd end, std::string text) {
        draw_final(editor);
        leave_raw_mode();
        return AnswerInput{end, std::move(text), editor.truncated()};
    };

    std::optional<std::chrono::seconds> shown;
    bool dirty = true;
    for (;;) {
        std::optional<std::chrono::seconds> left;
        std::optional<std::chrono::nanoseconds> wait;
        if (request.deadline) {
            const auto now = clock_.monotonic();
            if (now >= *request.deadline) return finish(AnswerEnd::TimedOut, editor.answer());
            const auto remaining = std::chrono::duration_cast<std::chrono::nanoseconds>(*request.deadline - now);
            left = std::chrono::ceil<std::chrono::seconds>(remaining);
            // Wake exactly when the displayed second changes, the last time at the deadline.
            wait = remaining - (*left - 1s);
        }
        if (drawn_ && screen_size() != drawn_size_) dirty = true;
        if (!wait || *wait > kResizeCheck) wait = kResizeCheck;
        if (dirty || left != shown) {
            draw(editor, left);
            shown = left;
            dirty = false;
        }

        const Ready ready = wait_for(in_fd_, signals_.fd(), wait);
        if (ready == Ready::Timeout) continue;
        if (ready == Ready::Failed) return finish(AnswerEnd::Interrupted, {});
        if (ready == Ready::Signal) {
            if (signals_.take() != 0) return finish(AnswerEnd::Interrupted, editor.answer());
            continue;
        }
        bool closed = false;
        const std::string bytes = read_some(in_fd_, closed);
        if (closed) return finish(AnswerEnd::Interrupted, {});
        const std::vector<KeyEvent> keys = decoder.feed(bytes);
        for (std::size_t k = 0; k < keys.size(); ++k) {
            const EditResult result = editor.apply(keys[k]);
            // A Ctrl-C typed right behind the key that ends the answer arrives in the same read:
            // it still ends the session once the answer is in.
            if (result != EditResult::Editing)
                interrupt_pending_ = std::any_of(keys.begin() + static_cast<std::ptrdiff_t>(k) + 1, keys.end(),
                                                 [](const KeyEvent& key) { return key.kind == KeyKind::Interrupt; });
            switch (result) {
                case EditResult::Editing: break;
                case EditResult::Submit: return finish(AnswerEnd::Submitted, editor.answer());
                case EditResult::Skip: return finish(AnswerEnd::Skipped, editor.answer_before_current_line());
                case EditResult::Quit: return finish(AnswerEnd::Quit, editor.answer_before_current_line());
                case EditResult::EndOfInput: return finish(AnswerEnd::EndOfInput, {});
                case EditResult::Interrupt: return finish(AnswerEnd::Interrupted, editor.answer());
            }
        }
        dirty = dirty || !bytes.empty();
    }
}

FeedbackChoice TerminalAnswerSource::after_feedback(const FeedbackOffer& offer) {
    // A key pressed while the feedback was printing must not skip past it, so what was typed
    // meanwhile is dropped, before the prompt, so that a key pressed once the prompt shows never
    // is; but a Ctrl-C among it still ends the session.
    enter_raw_mode(TCSADRAIN, false);
    bool interrupted = std::exchange(interrupt_pending_, false);
    while (!interrupted && wait_for(in_fd_, signals_.fd(), std::chrono::nanoseconds(0)) == Ready::Input) {
        bool closed = false;
        const std::string typed = read_some(in_fd_, closed);
        if (closed || typed.empty()) break;
        interrupted = typed.find('\x03') != std::string::npos;
    }
    ::tcflush(in_fd_, TCIFLUSH);
    if (interrupted) {
        leave_raw_mode();
        return FeedbackChoice::Interrupted;
    }
    const std::string dot = unicode_ ? " · " : " - ";
    std::string prompt;
    if (offer.retry) prompt += "r retry" + dot;
    if (offer.example) prompt += "e example answer" + dot;
    if (offer.rating) prompt += fmt::format("1-4 rating ({}){}", rating_label(*offer.rating), dot);
    prompt += offer.last ? "any other key: summary" : "any other key: next question";
    write_out(style_.dim(truncate_to_width(prompt, std::max<std::size_t>(screen_size().columns, 20) - 1, !unicode_)));
    FeedbackChoice choice = FeedbackChoice::Interrupted;
    for (;;) {
        const Ready ready = wait_for(in_fd_, signals_.fd(), std::nullopt);
        if (ready == Ready::Signal) {
            if (signals_.take() == 0) continue;
            break;
        }
        if (ready != Ready::Input) break;
        bool closed = false;
        const std::string bytes = read_some(in_fd_, closed);
        if (closed) break;
        if (bytes.empty()) continue;
        if (bytes.find('\x03') != std::string::npos) break;
        const char key = bytes.size() == 1 ? bytes[0] : '\0';
        choice = FeedbackChoice::Continue;
        if ((key == 'r' || key == 'R') && offer.retry) choice = FeedbackChoice::Retry;
        if ((key == 'e' || key == 'E') && offer.example) choice = FeedbackChoice::ShowExample;
        if (offer.rating && key >= '1' && key <= '4')
            choice = static_cast<FeedbackChoice>(static_cast<int>(FeedbackChoice::RateAgain) + (key - '1'));
        break;
    }
    write_out("\r\x1b[2K");
    leave_raw_mode();
    return choice;
}

}  // namespace ehrprep
