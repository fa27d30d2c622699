#pragma once

#include <cstdint>

namespace ehrprep {

// Whole numbers in as few bytes as they need: seven bits a byte, low bits first, the high bit
// set on every byte but the last. The packed logs and records of a long history are written so.
template <typename Bytes>
void put_varint(Bytes& out, std::uint64_t value) {
    using Byte = typename Bytes::value_type;
    while (value >= 0x80) {
        out.push_back(static_cast<Byte>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<Byte>(value));
}

// Reads one from `at`, which is left past it.
template <typename Iterator>
std::uint64_t get_varint(Iterator& at) {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
        const auto byte = static_cast<std::uint8_t>(*at++);
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (byte < 0x80) return value;
    }
}

// A signed number as an unsigned one that stays small while it is near zero, for a varint.
constexpr std::uint64_t zigzag(std::int64_t value) {
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

constexpr std::int64_t unzigzag(std::uint64_t value) {
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

// `value` less `base`, zigzagged, and back: kept unsigned, so that however far apart the two
// are (times in a history need not be in order), nothing overflows.
constexpr std::uint64_t zigzag_difference(std::int64_t value, std::int64_t base) {
    return zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(value) - static_cast<std::uint64_t>(base)));
}

constexpr std::int64_t add_zigzag_difference(std::int64_t base, std::uint64_t difference) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(unzigzag(difference)));
}

}  // namespace ehrprep
