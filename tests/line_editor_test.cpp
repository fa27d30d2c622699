#include <catch2/catch.hpp>

#include "ehrprep/line_editor.hpp"
#include "ehrprep/text_layout.hpp"

using namespace ehrprep;
using Events = std::vector<KeyEvent>;
using Rows = std::vector<std::string>;

namespace {

KeyEvent text(std::string t, bool pasted = false) { return KeyEvent{KeyKind::Text, std::move(t), pasted}; }
KeyEvent key(KeyKind kind, bool pasted = false) { return KeyEvent{kind, {}, pasted}; }

// Feeds keys as a terminal would send them and returns the first result that ends editing.
EditResult type(LineEditor& editor, std::string_view bytes) {
    KeyDecoder decoder;
    for (const KeyEvent& event : decoder.feed(bytes)) {
        EditResult result = editor.apply(event);
        if (result != EditResult::Editing) return result;
    }
    return EditResult::Editing;
}

}  // namespace

TEST_CASE("decoder turns printable bytes and control keys into events", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("ab c") == Events{text("ab c")});
    CHECK(decoder.feed("x\ry") == Events{text("x"), key(KeyKind::Enter), text("y")});
    CHECK(decoder.feed("\x7f\x08\x15\x17\x04\x03") ==
          Events{key(KeyKind::Backspace), key(KeyKind::Backspace), key(KeyKind::ClearLine), key(KeyKind::DeleteWord),
                 key(KeyKind::EndOfInput), key(KeyKind::Interrupt)});
    CHECK(decoder.feed("a\tb") == Events{text("a b")});
    // Ctrl-Z, Ctrl-S and friends are not text.
    CHECK(decoder.feed("\x1a\x13\x11\x07").empty());
}

TEST_CASE("decoder counts CR LF as one Enter but two CRs as two", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("a\r\nb") == Events{text("a"), key(KeyKind::Enter), text("b")});
    CHECK(decoder.feed("\r\r") == Events{key(KeyKind::Enter), key(KeyKind::Enter)});
    CHECK(decoder.feed("x\n\n") == Events{text("x"), key(KeyKind::Enter), key(KeyKind::Enter)});
    // The LF of a CR LF split across reads is still swallowed.
    CHECK(decoder.feed("x\r") == Events{text("x"), key(KeyKind::Enter)});
    CHECK(decoder.feed("\ny") == Events{text("y")});
}

TEST_CASE("decoder keeps UTF-8 characters split across reads whole", "[line_editor]") {
    KeyDecoder decoder;
    const std::string e_acute = "\xc3\xa9";
    const std::string kanji = "\xe6\x97\xa5";
    const std::string emoji = "\xf0\x9f\x99\x82";
    CHECK(decoder.feed("caf" + e_acute.substr(0, 1)) == Events{text("caf")});
    CHECK(decoder.feed(e_acute.substr(1)) == Events{text(e_acute)});
    CHECK(decoder.feed(kanji.substr(0, 1)).empty());
    CHECK(decoder.feed(kanji.substr(1, 1)).empty());
    CHECK(decoder.feed(kanji.substr(2) + emoji.substr(0, 2)) == Events{text(kanji)});
    CHECK(decoder.feed(emoji.substr(2)) == Events{text(emoji)});
}

TEST_CASE("decoder drops invalid UTF-8 instead of inserting it", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("a\x80" "b\xff" "c") == Events{text("abc")});
    CHECK(decoder.feed("\xc3" "x") == Events{text("x")});
    // An encoded surrogate and an overlong '/' are not characters either.
    CHECK(decoder.feed("\xed\xa0\x80" "d" "\xe0\x80\xaf" "e") == Events{text("de")});
}

TEST_CASE("decoder recognises escape sequences and never inserts them", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("a\x1b[Ab\x1b[Dc\x1b[1;5C\x1b[H\x1b[F\x1b[3~\x1bOP\x1bOA") == Events{text("abc")});
    SECTION("split across reads") {
        CHECK(decoder.feed("x\x1b") == Events{text("x")});
        CHECK(decoder.feed("[").empty());
        CHECK(decoder.feed("1;").empty());
        CHECK(decoder.feed("2Dy") == Events{text("y")});
        CHECK(decoder.feed("\x1bO").empty());
        CHECK(decoder.feed("Bz") == Events{text("z")});
    }
    SECTION("a lone Escape or an Alt chord drops only the Escape") {
        CHECK(decoder.feed("\x1b").empty());
        CHECK(decoder.feed("q") == Events{text("q")});
        CHECK(decoder.feed("\x1b" "b") == Events{text("b")});
    }
}

TEST_CASE("decoder marks bracketed paste so newlines in it only break lines", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("\x1b[200~one\r\rtwo\x03\x1b[201~!") ==
          Events{text("one", true), key(KeyKind::Enter, true), key(KeyKind::Enter, true), text("two", true),
                 text("!")});
    SECTION("markers split across reads") {
        CHECK(decoder.feed("\x1b[20").empty());
        CHECK(decoder.feed("0~a\n") == Events{text("a", true), key(KeyKind::Enter, true)});
        CHECK(decoder.feed("b\x1b[201~\r") == Events{text("b", true), key(KeyKind::Enter)});
    }
}

TEST_CASE("editor appends text and breaks lines", "[line_editor]") {
    LineEditor editor;
    CHECK(editor.blank());
    CHECK(editor.current_line_empty());
    editor.insert("first line");
    editor.new_line();
    editor.insert("second");
    CHECK(editor.text() == "first line\nsecond");
    CHECK(editor.current_line() == "second");
    CHECK_FALSE(editor.blank());
}

TEST_CASE("backspace removes a whole code point and joins lines", "[line_editor]") {
    LineEditor editor;
    editor.insert("caf\xc3\xa9 \xe6\x97\xa5");
    editor.backspace();
    CHECK(editor.text() == "caf\xc3\xa9 ");
    editor.backspace();
    editor.backspace();
    CHECK(editor.text() == "caf");
    editor.new_line();
    editor.backspace();
    CHECK(editor.text() == "caf");
    editor.backspace();
    editor.backspace();
    editor.backspace();
    editor.backspace();
    CHECK(editor.text().empty());
    CHECK(editor.blank());
}

TEST_CASE("Ctrl-U clears the line and Ctrl-W the previous word", "[line_editor]") {
    LineEditor editor;
    editor.insert("keep");
    editor.new_line();
    editor.insert("hello world  ");
    editor.delete_word();
    CHECK(editor.current_line() == "hello ");
    editor.delete_word();
    CHECK(editor.current_line().empty());
    editor.delete_word();
    CHECK(editor.text() == "keep\n");
    editor.insert("gone too");
    editor.clear_line();
    CHECK(editor.text() == "keep\n");
}

TEST_CASE("typing the quiz's editing example gives the intended answer", "[line_editor]") {
    LineEditor editor;
    CHECK(type(editor, "helo\x7flo world\x17there\r\r") == EditResult::Submit);
    CHECK(editor.answer() == "hello there");
}

TEST_CASE("a blank line submits only once something was typed", "[line_editor]") {
    LineEditor editor;
    CHECK(type(editor, "\r\r  \r") == EditResult::Editing);
    CHECK(editor.blank());
    CHECK(type(editor, "line one\rline two\r") == EditResult::Editing);
    CHECK(editor.text() == "  line one\nline two\n");
    CHECK(type(editor, "\r") == EditResult::Submit);
    CHECK(editor.answer() == "  line one\nline two");
}

TEST_CASE(":skip and :quit on a line of their own", "[line_editor]") {
    LineEditor skip;
    CHECK(type(skip, "some words\r :skip \r") == EditResult::Skip);
    CHECK(skip.answer_before_current_line() == "some words");
    LineEditor quit;
    CHECK(type(quit, ":quit\r") == EditResult::Quit);
    LineEditor neither;
    CHECK(type(neither, "please :skip this\r") == EditResult::Editing);
}

TEST_CASE("Ctrl-D submits typed text and ends input on an empty answer", "[line_editor]") {
    LineEditor empty;
    CHECK(type(empty, "\x04") == EditResult::EndOfInput);
    LineEditor typed;
    CHECK(type(typed, "unfinished\x04") == EditResult::Submit);
    CHECK(typed.answer() == "unfinished");
    LineEditor interrupted;
    CHECK(type(interrupted, "abc\x03") == EditResult::Interrupt);
}

TEST_CASE("a pasted blank line or :skip does not end the answer", "[line_editor]") {
    LineEditor editor;
    CHECK(type(editor, "\x1b[200~para one\r\r:skip\rpara two\r\x1b[201~") == EditResult::Editing);
    CHECK(editor.text() == "para one\n\n:skip\npara two\n");
    CHECK(type(editor, "\r") == EditResult::Submit);
}

TEST_CASE("render prefixes rows and puts the cursor after the text", "[line_editor]") {
    LineEditor editor;
    CHECK(editor.render(20, "> ") == InputView{{"> "}, 0, 2});
    editor.insert("one ");
    CHECK(editor.render(20, "> ") == InputView{{"> one "}, 0, 6});
    editor.new_line();
    editor.insert("two");
    CHECK(editor.render(20, "> ") == InputView{{"> one ", "  two"}, 1, 5});
    editor.new_line();
    CHECK(editor.render(20, "> ") == InputView{{"> one ", "  two", "  "}, 2, 2});
}

TEST_CASE("render wraps long lines at spaces within the width", "[line_editor]") {
    LineEditor editor;
    editor.insert("the quick brown fox jumps over the lazy dog");
    InputView view = editor.render(14, "> ");
    CHECK(view.rows == Rows{"> the quick ", "  brown fox ", "  jumps over ", "  the lazy dog", "  "});
    CHECK(view.cursor_row == 4);
    CHECK(view.cursor_column == 2);
    for (const std::string& row : view.rows) CHECK(display_width(row) <= 14);
}

TEST_CASE("render moves the cursor to a new row when the last one is full", "[line_editor]") {
    LineEditor editor;
    editor.insert("abcdefgh");
    InputView view = editor.render(10, "> ");
    CHECK(view.rows == Rows{"> abcdefgh", "  "});
    CHECK(view.cursor_row == 1);
    CHECK(view.cursor_column == 2);
    editor.insert("ij ");
    view = editor.render(10, "> ");
    CHECK(view.rows == Rows{"> abcdefgh", "  ij "});
    CHECK(view.cursor_column == 5);
}

TEST_CASE("render respects wide characters and splits words longer than a row", "[line_editor]") {
    LineEditor editor;
    editor.insert("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88");
    InputView view = editor.render(9, "> ");
    for (const std::string& row : view.rows) CHECK(display_width(row) <= 9);
    CHECK(view.rows.size() == 3);
    CHECK(view.rows[0] == "> \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
    CHECK(view.cursor_column == 2 + 4);

    LineEditor long_word;
    long_word.insert("supercalifragilistic");
    view = long_word.render(10, "> ");
    CHECK(view.rows == Rows{"> supercal", "  ifragili", "  stic"});
}

TEST_CASE("render keeps trailing spaces so the cursor follows them", "[line_editor]") {
    LineEditor editor;
    editor.insert("abcdef   ");
    InputView view = editor.render(10, "> ");
    CHECK(view.rows == Rows{"> abcdef  ", "   "});
    CHECK(view.cursor_row == 1);
    CHECK(view.cursor_column == 3);
    editor.insert("x");
    CHECK(editor.render(10, "> ").rows == Rows{"> abcdef  ", "  x"});
}

TEST_CASE("render measures a styled prompt by its visible width", "[line_editor]") {
    LineEditor editor;
    editor.new_line();
    editor.insert("b");
    InputView view = editor.render(10, "\x1b[36m> \x1b[0m");
    CHECK(view.rows == Rows{"\x1b[36m> \x1b[0m", "  b"});
    CHECK(view.cursor_column == 3);
}

TEST_CASE("decoder drops C1 control characters, which some terminals obey when echoed", "[line_editor]") {
    KeyDecoder decoder;
    CHECK(decoder.feed("a\xc2\x9b" "2Jb\xc2\x85" "c\xc2\xa0" "d") == Events{text("a2Jbc\xc2\xa0" "d")});
}

TEST_CASE("an answer stops growing at 64 KiB, keeps whole characters and says it was cut", "[line_editor]") {
    LineEditor editor;
    editor.insert(std::string(kMaxAnswerBytes - 1, 'a'));
    CHECK_FALSE(editor.truncated());
    editor.insert("é and more");  // two bytes where one is left: the character is not split
    CHECK(editor.truncated());
    CHECK(editor.text() == std::string(kMaxAnswerBytes - 1, 'a'));
    // A pasted flood of newlines adds at most one line once the answer is full.
    for (int k = 0; k < 1000; ++k) editor.apply(KeyEvent{KeyKind::Enter, {}, true});
    CHECK(editor.text().size() <= kMaxAnswerBytes + 1);
    // And a blank line still submits what was kept.
    CHECK(type(editor, "\r") == EditResult::Submit);
    CHECK(editor.answer() == std::string(kMaxAnswerBytes - 1, 'a'));
}

TEST_CASE("editing a full answer makes room again", "[line_editor]") {
    LineEditor editor;
    editor.insert(std::string(kMaxAnswerBytes, 'a'));
    editor.insert("b");
    CHECK(editor.truncated());
    editor.backspace();
    editor.insert("z");
    CHECK(editor.text() == std::string(kMaxAnswerBytes - 1, 'a') + "z");
}
