#include "ehrprep/line_editor.hpp"

#include <algorithm>
#include <utility>

#include "ehrprep/text_layout.hpp"
#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

constexpr char kEscape = '\x1b';
// Longer than any escape sequence a terminal sends: past this a "sequence" is garbage.
constexpr std::size_t kMaxPending = 64;

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

std::string join_trimmed(const std::vector<std::string>& lines, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) out.push_back('\n');
        out += lines[i];
    }
    while (!out.empty() && (is_space(out.back()) || out.back() == '\n')) out.pop_back();
    return out;
}

// Like wrap_text, but keeps every space: the cursor goes after trailing spaces, and what is
// shown must be what is typed. Spaces that do not fit at the end of a row vanish at the break
// when a word follows, and move to the next row when they end the line.
std::vector<std::string> wrap_keeping_spaces(std::string_view line, std::size_t width) {
    std::vector<std::string> rows(1);
    std::size_t used = 0;
    auto new_row = [&] {
        rows.emplace_back();
        used = 0;
    };
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t end = i;
        const bool spaces = line[i] == ' ';
        while (end < line.size() && (line[end] == ' ') == spaces) ++end;
        std::string_view run = line.substr(i, end - i);
        i = end;
        if (spaces) {
            std::size_t fit = used >= width ? 0 : std::min(run.size(), width - used);
            rows.back().append(fit, ' ');
            used += fit;
            std::size_t rest = run.size() - fit;
            if (rest > 0 && i == line.size()) {
                new_row();
                rows.back().append(std::min(rest, width), ' ');
                used = rows.back().size();
            }
            continue;
        }
        std::size_t run_width = display_width(run);
        if (used > 0 && used + run_width > width) new_row();
        for (std::size_t k = 0; k < run.size();) {
            const std::size_t n = decode_utf8(run, k).length;
            std::string_view cp = run.substr(k, n);
            std::size_t w = display_width(cp);
            // A row always takes at least one character, or a wide one would never fit in 1 column.
            if (used > 0 && used + w > width) new_row();
            rows.back().append(cp);
            used += w;
            k += n;
        }
    }
    return rows;
}

}  // namespace

std::vector<KeyEvent> KeyDecoder::feed(std::string_view bytes) {
    std::string buffer = std::move(pending_);
    pending_.clear();
    buffer.append(bytes);
    std::vector<KeyEvent> events;
    auto emit = [&](KeyKind kind) { events.push_back(KeyEvent{kind, {}, in_paste_}); };
    auto emit_text = [&](std::string_view text) {
        if (!events.empty() && events.back().kind == KeyKind::Text && events.back().pasted == in_paste_)
            events.back().text.append(text);
        else
            events.push_back(KeyEvent{KeyKind::Text, std::string(text), in_paste_});
    };

    std::size_t i = 0;
    const std::size_t n = buffer.size();
    while (i < n) {
        const auto b = static_cast<unsigned char>(buffer[i]);
        const bool was_after_cr = std::exchange(after_cr_, false);
        if (b == kEscape) {
            if (i + 1 == n) break;  // the rest of the sequence may be in the next read
            const char next = buffer[i + 1];
            if (next == '[') {
                // Parameter and intermediate bytes, then the final byte that names the key.
                auto in_body = [&](std::size_t k) {
                    const auto c = static_cast<unsigned char>(buffer[k]);
                    return c >= 0x20 && c <= 0x3F;
                };
                std::size_t k = i + 2;
                while (k < n && in_body(k)) ++k;
                if (k == n) break;
                const auto final_byte = static_cast<unsigned char>(buffer[k]);
                if (final_byte < 0x40 || final_byte > 0x7E) {
                    i = k;  // malformed: drop the introducer, keep what follows
                    continue;
                }
                std::string_view params(buffer.data() + i + 2, k - i - 2);
                if (final_byte == '~' && params == "200") in_paste_ = true;
                if (final_byte == '~' && params == "201") in_paste_ = false;
                i = k + 1;
            } else if (next == 'O') {
                if (i + 2 == n) break;
                i += 3;  // SS3: F1-F4 and arrows in application mode
            } else {
                // A lone Escape press or Alt+key: drop the Escape, keep the key.
                i += 1;
            }
            continue;
        }
        if (b == '\r' || b == '\n') {
            if (b == '\n' && was_after_cr) {
                ++i;
                continue;
            }
            after_cr_ = b == '\r';
            emit(KeyKind::Enter);
            ++i;
            continue;
        }
        if (b < 0x20 || b == 0x7F) {
            switch (b) {
                case 0x7F:
                case 0x08: emit(KeyKind::Backspace); break;
                case '\t': emit_text(" "); break;
                // Control keys inside a paste are data, not commands.
                case 0x15: if (!in_paste_) emit(KeyKind::ClearLine); break;
                case 0x17: if (!in_paste_) emit(KeyKind::DeleteWord); break;
                case 0x04: if (!in_paste_) emit(KeyKind::EndOfInput); break;
                case 0x03: if (!in_paste_) emit(KeyKind::Interrupt); break;
                default: break;
            }
            ++i;
            continue;
        }
        const Utf8Decoded decoded = decode_utf8(buffer, i);
        if (decoded.status == Utf8Status::Truncated) break;  // split across reads
        if (decoded.status == Utf8Status::Invalid) {
            ++i;  // a stray continuation byte, an invalid lead or a broken sequence: drop the byte
            continue;
        }
        if (decoded.code_point >= 0x80 && decoded.code_point <= 0x9F) {
            i += decoded.length;  // a C1 control, which some terminals obey when it is echoed
            continue;
        }
        emit_text(std::string_view(buffer).substr(i, decoded.length));
        i += decoded.length;
    }
    if (i < n && n - i <= kMaxPending) pending_ = buffer.substr(i);
    return events;
}

EditResult LineEditor::apply(const KeyEvent& key) {
    switch (key.kind) {
        case KeyKind::Text: insert(key.text); return EditResult::Editing;
        case KeyKind::Backspace: backspace(); return EditResult::Editing;
        case KeyKind::ClearLine: clear_line(); return EditResult::Editing;
        case KeyKind::DeleteWord: delete_word(); return EditResult::Editing;
        case KeyKind::Interrupt: return EditResult::Interrupt;
        case KeyKind::EndOfInput: return blank() ? EditResult::EndOfInput : EditResult::Submit;
        case KeyKind::Enter: break;
    }
    if (key.pasted) {
        new_line();
        return EditResult::Editing;
    }
    const std::string_view line = trim(current_line());
    if (line == ":skip") return EditResult::Skip;
    if (line == ":quit") return EditResult::Quit;
    if (line.empty()) {
        if (blank()) return EditResult::Editing;  // nothing to submit yet
        return EditResult::Submit;
    }
    new_line();
    return EditResult::Editing;
}

void LineEditor::insert(std::string_view text) {
    const std::size_t room = kMaxAnswerBytes - std::min(bytes_, kMaxAnswerBytes);
    const std::size_t taken = utf8_prefix_length(text, room);
    if (taken < text.size()) truncated_ = true;
    lines_.back().append(text.substr(0, taken));
    bytes_ += taken;
}

void LineEditor::new_line() {
    // Once the answer is full, empty lines stop piling up (a pasted run of newlines), but a
    // line of text can still be ended so that a blank line submits.
    if (bytes_ >= kMaxAnswerBytes && lines_.back().empty()) {
        truncated_ = true;
        return;
    }
    lines_.emplace_back();
    ++bytes_;
}

void LineEditor::backspace() {
    std::string& line = lines_.back();
    if (line.empty()) {
        if (lines_.size() > 1) {
            lines_.pop_back();
            --bytes_;
        }
        return;
    }
    std::size_t end = line.size() - 1;
    while (end > 0 && is_utf8_continuation(static_cast<unsigned char>(line[end]))) --end;
    bytes_ -= line.size() - end;
    line.erase(end);
}

void LineEditor::clear_line() {
    bytes_ -= lines_.back().size();
    lines_.back().clear();
}

void LineEditor::delete_word() {
    std::string& line = lines_.back();
    std::size_t end = line.size();
    while (end > 0 && is_space(line[end - 1])) --end;
    while (end > 0 && !is_space(line[end - 1])) --end;
    bytes_ -= line.size() - end;
    line.erase(end);
}

std::string LineEditor::text() const {
    std::string out;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        if (i > 0) out.push_back('\n');
        out += lines_[i];
    }
    return out;
}

std::string LineEditor::answer() const { return join_trimmed(lines_, lines_.size()); }

std::string LineEditor::answer_before_current_line() const { return join_trimmed(lines_, lines_.size() - 1); }

bool LineEditor::blank() const {
    for (const std::string& line : lines_)
        if (!trim(line).empty()) return false;
    return true;
}

InputView LineEditor::render(std::size_t width, std::string_view prompt) const {
    const std::size_t prompt_width = display_width(prompt);
    const std::string indent(prompt_width, ' ');
    const std::size_t text_width = width > prompt_width ? width - prompt_width : 1;
    InputView view;
    for (const std::string& line : lines_) {
        for (std::string& row : wrap_keeping_spaces(line, text_width))
            view.rows.push_back((view.rows.empty() ? std::string(prompt) : indent) + row);
    }
    view.cursor_row = view.rows.size() - 1;
    view.cursor_column = display_width(view.rows.back());
    if (view.cursor_column >= width && width > prompt_width) {
        view.rows.push_back(indent);
        ++view.cursor_row;
        view.cursor_column = prompt_width;
    }
    return view;
}

}  // namespace ehrprep
