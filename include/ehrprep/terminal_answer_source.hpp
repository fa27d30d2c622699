#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <termios.h>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/line_editor.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/signal_watch.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

// Answers typed on a terminal: raw mode while reading, a live countdown on a status row above
// the input, and the terminal's settings put back on every way out.
class TerminalAnswerSource final : public AnswerSource {
public:
    TerminalAnswerSource(int in_fd, int out_fd, Clock& clock, SignalWatch& signals, Style style, bool unicode,
                         std::size_t columns);
    TerminalAnswerSource(const TerminalAnswerSource&) = delete;
    TerminalAnswerSource& operator=(const TerminalAnswerSource&) = delete;
    ~TerminalAnswerSource() override;

    AnswerInput read_answer(const AnswerRequest& request) override;
    FeedbackChoice after_feedback(const FeedbackOffer& offer) override;

private:
    struct ScreenSize {
        std::size_t columns;
        std::size_t rows;
        bool operator==(const ScreenSize&) const = default;
    };

    // Returns false, leaving the device alone, when it has no terminal settings to change.
    bool enter_raw_mode(int when, bool bracketed_paste);
    void leave_raw_mode();

    [[nodiscard]] ScreenSize screen_size() const;
    [[nodiscard]] std::string status_line(std::optional<std::chrono::seconds> left, std::size_t room) const;
    void draw(const LineEditor& editor, std::optional<std::chrono::seconds> left);
    void draw_final(const LineEditor& editor);
    [[nodiscard]] std::string move_to_top(std::size_t columns) const;
    void write_out(const std::string& data) const;

    int in_fd_;
    int out_fd_;
    Clock& clock_;
    SignalWatch& signals_;
    Style style_;
    bool unicode_;
    std::size_t columns_;

    std::optional<termios> saved_;  // set while in raw mode
    bool bracketed_paste_ = false;
    bool interrupt_pending_ = false;  // Ctrl-C came right behind the key that ended the answer
    // What the last frame left on screen, up to the cursor: the width of each row above the
    // cursor's, and the cursor's column. Kept as widths so that after the terminal is resized
    // the way back to the top can be worked out for the new width.
    std::vector<std::size_t> rows_above_cursor_;
    std::size_t cursor_column_ = 0;
    ScreenSize drawn_size_{0, 0};
    bool drawn_ = false;
};

}  // namespace ehrprep
