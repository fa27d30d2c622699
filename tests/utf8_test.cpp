#include "ehrprep/utf8.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace ehrprep;

namespace {

Utf8Decoded first(std::string_view text) { return decode_utf8(text, 0); }

}  // namespace

TEST_CASE("UTF-8: well-formed characters of every length decode to their code points", "[utf8]") {
    const std::string text = "a\u00e9\u20ac\U0001F600";  // a, é, €, 😀
    std::size_t at = 0;
    std::vector<std::pair<char32_t, std::size_t>> seen;
    while (at < text.size()) {
        const Utf8Decoded d = decode_utf8(text, at);
        REQUIRE(d.status == Utf8Status::Valid);
        seen.emplace_back(d.code_point, d.length);
        at += d.length;
    }
    CHECK(seen == std::vector<std::pair<char32_t, std::size_t>>{{U'a', 1}, {0xE9, 2}, {0x20AC, 3}, {0x1F600, 4}});
    CHECK(first("\x7f").code_point == 0x7F);
    CHECK(first("\xf4\x8f\xbf\xbf").code_point == 0x10FFFF);
}

TEST_CASE("UTF-8: overlong forms, surrogates and values past U+10FFFF are invalid, one byte at a time", "[utf8]") {
    for (const std::string bad : {"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xf0\x80\x80\x80",
                                  "\xf0\x8f\xbf\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
                                  "\xf5\x80\x80\x80", "\xff", "\x80", "\xbf"}) {
        CAPTURE(bad);
        const Utf8Decoded d = first(bad);
        CHECK(d.status == Utf8Status::Invalid);
        CHECK(d.length == 1);
        CHECK(d.code_point == kReplacementCharacter);
    }
    // A lead byte followed by something that cannot continue it leaves that something alone.
    const std::string broken = "\xe2(a";
    CHECK(first(broken).status == Utf8Status::Invalid);
    CHECK(decode_utf8(broken, 1).code_point == U'(');
}

TEST_CASE("UTF-8: a sequence cut off by the end of the text is told apart from a broken one", "[utf8]") {
    CHECK(first("\xe2").status == Utf8Status::Truncated);
    CHECK(first("\xe2\x82").status == Utf8Status::Truncated);
    CHECK(first("\xf0\x9f\x98").status == Utf8Status::Truncated);
    CHECK(first("\xe2\x82").length == 1);
    // What is there already rules it out: no amount of further bytes would make it valid.
    CHECK(first("\xe0\x80").status == Utf8Status::Invalid);
    CHECK(first("\xed\xa0").status == Utf8Status::Invalid);
}

TEST_CASE("UTF-8: encoding gives back what decoding read, and U+FFFD for what has no encoding", "[utf8]") {
    for (char32_t cp : {U'\0', U'~', char32_t{0x7F}, char32_t{0x80}, char32_t{0x7FF}, char32_t{0x800}, char32_t{0xD7FF},
                        char32_t{0xE000}, char32_t{0xFFFF}, char32_t{0x10000}, char32_t{0x10FFFF}}) {
        CAPTURE(static_cast<std::uint32_t>(cp));
        std::string out;
        append_utf8(out, cp);
        const Utf8Decoded d = first(out);
        CHECK(d.status == Utf8Status::Valid);
        CHECK(d.code_point == cp);
        CHECK(d.length == out.size());
    }
    for (char32_t none : {char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}}) {
        std::string out;
        append_utf8(out, none);
        CHECK(out == "\xef\xbf\xbd");
    }
}

TEST_CASE("UTF-8: text is valid only when every sequence is, in short ids as in long answers", "[utf8]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("s-1"));
    CHECK(is_valid_utf8("ab\xc3\xa9"));             // é after two ASCII bytes
    CHECK(is_valid_utf8("r\xc3\xa9sum\xc3\xa9 naive"));
    CHECK_FALSE(is_valid_utf8("ab\xff"));
    CHECK_FALSE(is_valid_utf8("abcdefgh\xc3"));      // a sequence cut short after a whole word
    CHECK_FALSE(is_valid_utf8("abcdefghij\xed\xa0\x80"));  // a surrogate written as UTF-8
    CHECK(is_valid_utf8(std::string(1000, 'x') + "\xe2\x80\x94" + std::string(5, 'y')));
    CHECK_FALSE(is_valid_utf8(std::string(1000, 'x') + "\x80" + std::string(5, 'y')));
}
