#include "ehrprep/id_table.hpp"

#include <functional>

namespace ehrprep {
namespace {

std::size_t hash_of(std::string_view id) { return std::hash<std::string_view>{}(id); }

}  // namespace

std::size_t IdTable::slot_of(std::string_view id, std::size_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask)
        if (slots_[slot] == kNone || (*this)[slots_[slot]] == id) return slot;
}

std::optional<std::uint32_t> IdTable::find(std::string_view id) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint32_t number = slots_[slot_of(id, hash_of(id))];
    if (number == kNone) return std::nullopt;
    return number;
}

std::uint32_t IdTable::add(std::string_view id) {
    // At most half full, so that a probe ends quickly.
    if ((size() + 1) * 2 > slots_.size()) grow();
    const std::size_t slot = slot_of(id, hash_of(id));
    if (slots_[slot] != kNone) return slots_[slot];
    const auto number = static_cast<std::uint32_t>(size());
    text_.append(id);
    starts_.push_back(text_.size());
    slots_[slot] = number;
    return number;
}

void IdTable::grow() {
    slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, kNone);
    const std::size_t mask = slots_.size() - 1;
    for (std::uint32_t number = 0; number < size(); ++number) {
        std::size_t slot = hash_of((*this)[number]) & mask;
        while (slots_[slot] != kNone) slot = (slot + 1) & mask;
        slots_[slot] = number;
    }
}

}  // namespace ehrprep
