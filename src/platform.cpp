#include "ehrprep/platform.hpp"

namespace ehrprep {

std::optional<std::string> lookup(const Environment& env, std::string_view name) {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
}

}  // namespace ehrprep
