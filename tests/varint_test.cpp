#include "ehrprep/varint.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <limits>
#include <string>
#include <vector>

using namespace ehrprep;

TEST_CASE("varints take a byte per seven bits and read back what was written", "[varint]") {
    const std::vector<std::uint64_t> values = {0, 1, 127, 128, 16'383, 16'384, 1ULL << 35,
                                               std::numeric_limits<std::uint64_t>::max()};
    std::string bytes;
    std::deque<std::uint8_t> log;
    for (const std::uint64_t v : values) {
        put_varint(bytes, v);
        put_varint(log, v);
    }
    // 1 + 1 + 1 + 2 + 2 + 3 + 6 + 10 bytes.
    CHECK(bytes.size() == 26);
    CHECK(log.size() == 26);
    auto at = bytes.cbegin();
    auto in_log = log.cbegin();
    for (const std::uint64_t v : values) {
        CHECK(get_varint(at) == v);
        CHECK(get_varint(in_log) == v);
    }
    CHECK(at == bytes.cend());
    CHECK(in_log == log.cend());
}

TEST_CASE("zigzag keeps numbers near zero small, and differences never overflow", "[varint]") {
    CHECK(zigzag(0) == 0);
    CHECK(zigzag(-1) == 1);
    CHECK(zigzag(1) == 2);
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    for (const std::int64_t v : {kMin, kMin + 1, -300L, 0L, 300L, kMax})
        CHECK(unzigzag(zigzag(v)) == v);
    for (const std::int64_t base : {kMin, -62'135'596'800L, 0L, 253'402'300'799L, kMax})
        for (const std::int64_t value : {kMin, -1L, 0L, 1'796'030'100L, kMax}) {
            CAPTURE(base, value);
            CHECK(add_zigzag_difference(base, zigzag_difference(value, base)) == value);
        }
    CHECK(zigzag_difference(1'796'030'160, 1'796'030'100) == 120);  // a minute on: one byte
}
