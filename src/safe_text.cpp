#include "ehrprep/safe_text.hpp"

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

bool plain_ascii(unsigned char byte) { return (byte >= 0x20 && byte < 0x7F) || byte == '\n' || byte == '\t'; }

bool is_c1(char32_t code_point) { return code_point >= 0x80 && code_point <= 0x9F; }

}  // namespace

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (plain_ascii(byte)) {
            out.push_back(static_cast<char>(byte));
            ++i;
            continue;
        }
        if (byte < 0x80) {
            out.push_back('^');
            out.push_back(byte == 0x7F ? '?' : static_cast<char>(byte + 0x40));
            ++i;
            continue;
        }
        const Utf8Decoded decoded = decode_utf8(text, i);
        if (decoded.status != Utf8Status::Valid || is_c1(decoded.code_point)) {
            append_utf8(out, kReplacementCharacter);
        } else {
            out.append(text.substr(i, decoded.length));
        }
        i += decoded.length;
    }
    return out;
}

bool is_terminal_safe(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (plain_ascii(byte)) {
            ++i;
            continue;
        }
        if (byte < 0x80) return false;
        const Utf8Decoded decoded = decode_utf8(text, i);
        if (decoded.status != Utf8Status::Valid || is_c1(decoded.code_point)) return false;
        i += decoded.length;
    }
    return true;
}

}  // namespace ehrprep
