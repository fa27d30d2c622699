#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ehrprep {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

enum class Utf8Status {
    Valid,
    Invalid,    // not the start of a well-formed sequence
    Truncated,  // well-formed so far, but the text ends before the sequence does
};

struct Utf8Decoded {
    char32_t code_point = kReplacementCharacter;  // U+FFFD unless Valid
    std::size_t length = 1;                       // bytes taken: the sequence's when Valid, else 1
    Utf8Status status = Utf8Status::Invalid;
};

// Decodes the code point that starts at byte `at` (< text.size()). Well-formed means as
// Unicode defines it: no overlong forms, no surrogates, nothing beyond U+10FFFF. Callers that
// meet an invalid byte step over it, so a broken sequence never swallows the text after it.
Utf8Decoded decode_utf8(std::string_view text, std::size_t at);

// Whether all of `text` is well-formed UTF-8, as decode_utf8 defines it.
bool is_valid_utf8(std::string_view text);

// Appends the UTF-8 form of `code_point`; a surrogate or a value beyond U+10FFFF, which have
// none, is appended as U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

// The length of the longest start of `text` that has at most `max_bytes` bytes and does not
// end inside a character, for cutting text short without splitting one.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

// A byte that can only continue a sequence, never start one.
constexpr bool is_utf8_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace ehrprep
