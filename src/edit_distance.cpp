#include "ehrprep/edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace ehrprep {

int bounded_edit_distance(std::string_view a, std::string_view b, int limit) {
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    // Three rows suffice: the transposition case looks two rows back.
    std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
    for (int j = 0; j <= m; ++j) previous[j] = j;
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int row_minimum = current[0];
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int value = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                value = std::min(value, before[j - 2] + 1);
            current[j] = value;
            row_minimum = std::min(row_minimum, value);
        }
        if (row_minimum > limit) return limit + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[m], limit + 1);
}

std::optional<std::size_t> closest_match(std::string_view typed, const std::vector<std::string>& candidates) {
    auto lower = [](std::string_view text) {
        std::string out(text);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return out;
    };
    const std::string wanted = lower(typed);
    const int limit = std::clamp(static_cast<int>(wanted.size() / 3), 1, 3);
    std::optional<std::size_t> best;
    int best_distance = limit + 1;
    bool tied = false;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const int distance = bounded_edit_distance(wanted, lower(candidates[k]), limit);
        if (distance < best_distance) {
            best = k;
            best_distance = distance;
            tied = false;
        } else if (distance == best_distance && best && lower(candidates[k]) != lower(candidates[*best])) {
            tied = true;
        }
    }
    if (tied) return std::nullopt;
    return best;
}

}  // namespace ehrprep
