#include "ehrprep/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace ehrprep {

Utf8Decoded decode_utf8(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1, Utf8Status::Valid};

    // The well-formed sequences (Unicode, table 3-7): the lead byte fixes the length and the
    // range the second byte may take, which is what rules out overlong forms, surrogates and
    // values past U+10FFFF.
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    char32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code_point = lead & 0x0F;
        if (lead == 0xE0) second_min = 0xA0;
        if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code_point = lead & 0x07;
        if (lead == 0xF0) second_min = 0x90;
        if (lead == 0xF4) second_max = 0x8F;
    } else {
        return {};
    }
    for (std::size_t k = 1; k < length; ++k) {
        if (at + k >= text.size()) return {kReplacementCharacter, 1, Utf8Status::Truncated};
        const unsigned char next = byte(at + k);
        const bool fits = k == 1 ? next >= second_min && next <= second_max : is_utf8_continuation(next);
        if (!fits) return {};
        code_point = (code_point << 6) | (next & 0x3F);
    }
    return {code_point, length, Utf8Status::Valid};
}

bool is_valid_utf8(std::string_view text) {
    std::size_t k = 0;
    while (k < text.size()) {
        // Most text is ASCII: eight bytes at a time until a byte is not.
        while (text.size() - k >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, text.data() + k, 8);
            if ((word & 0x8080808080808080ULL) != 0) break;
            k += 8;
        }
        if (k == text.size()) break;
        // Short ASCII runs, like ids, byte by byte without decoding.
        if (static_cast<unsigned char>(text[k]) < 0x80) {
            ++k;
            continue;
        }
        const Utf8Decoded decoded = decode_utf8(text, k);
        if (decoded.status != Utf8Status::Valid) return false;
        k += decoded.length;
    }
    return true;
}

void append_utf8(std::string& out, char32_t code_point) {
    if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) code_point = kReplacementCharacter;
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text.size();
    std::size_t end = max_bytes;
    // Back over the continuation bytes of the character that the cut would split; at most three.
    for (std::size_t back = 0; back < 3 && end > 0 && is_utf8_continuation(static_cast<unsigned char>(text[end])); ++back)
        --end;
    if (end < max_bytes && decode_utf8(text, end).length <= max_bytes - end) return max_bytes;
    return is_utf8_continuation(static_cast<unsigned char>(text[end])) ? max_bytes : end;
}

}  // namespace ehrprep
