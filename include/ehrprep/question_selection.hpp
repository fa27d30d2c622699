#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"

namespace ehrprep {

enum class QuestionOrder { Random, Bank };

struct SelectionOptions {
    std::vector<std::string> tiers;   // resolved tier ids; empty means every tier
    std::vector<std::string> ids;     // only these questions; empty means all that pass the tiers
    std::optional<std::size_t> count; // default: 5, or every id given with --ids
    QuestionOrder order = QuestionOrder::Random;
};

inline constexpr std::size_t kDefaultQuestionCount = 5;

// Which questions a session asks, as bank indices in asking order. A random order is drawn
// from `seed` alone, so the same seed asks the same questions, and it takes the tiers in
// turn so that a short session mixes them. A filter that leaves nothing is an error.
Result<std::vector<std::size_t>> select_questions(const QuestionBank& bank, const SelectionOptions& options,
                                                  std::uint64_t seed);

}  // namespace ehrprep
