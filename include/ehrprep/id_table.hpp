#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// Strings numbered 0, 1, 2 ... in the order they are first added, all kept end to end in one
// buffer. A history names its sessions, questions and tiers on every line; numbering each
// name once lets everything after the reader work with integers, and keeps hundreds of
// thousands of session ids in a few bytes each rather than a string and a map node apiece.
class IdTable {
public:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    // The number of `id`, numbering it next if it is new.
    std::uint32_t add(std::string_view id);
    [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id) const;

    [[nodiscard]] std::string_view operator[](std::uint32_t number) const {
        return std::string_view(text_).substr(starts_[number], starts_[number + 1] - starts_[number]);
    }
    [[nodiscard]] std::size_t size() const { return starts_.size() - 1; }
    [[nodiscard]] bool empty() const { return size() == 0; }

private:
    [[nodiscard]] std::size_t slot_of(std::string_view id, std::size_t hash) const;
    void grow();

    std::string text_;
    std::vector<std::size_t> starts_{0};  // id k is text_[starts_[k], starts_[k + 1])
    std::vector<std::uint32_t> slots_;    // open addressing: an id's number, or kNone
};

}  // namespace ehrprep
