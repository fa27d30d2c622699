#include "ehrprep/question_selection.hpp"

#include <algorithm>
#include <random>

#include <fmt/format.h>

namespace ehrprep {

Result<std::vector<std::size_t>> select_questions(const QuestionBank& bank, const SelectionOptions& options,
                                                  std::uint64_t seed) {
    auto in_tiers = [&](const Question& q) { return tier_selected(options.tiers, q.tier_id); };
    std::vector<std::size_t> pool;
    if (!options.ids.empty()) {
        for (const std::string& id : options.ids) {
            auto index = bank.question_index(id);
            if (!index) return bank.no_such_question(id);
            if (in_tiers(bank.questions()[*index]) && std::find(pool.begin(), pool.end(), *index) == pool.end())
                pool.push_back(*index);
        }
    } else {
        for (std::size_t i = 0; i < bank.questions().size(); ++i)
            if (in_tiers(bank.questions()[i])) pool.push_back(i);
    }
    if (pool.empty()) {
        return Error{options.ids.empty()
                         ? fmt::format("no questions in tier {}", fmt::join(options.tiers, ", "))
                         : fmt::format("none of the questions given with --ids is in tier {}",
                                       fmt::join(options.tiers, ", "))};
    }
    const std::size_t count =
        std::min(pool.size(), options.count.value_or(options.ids.empty() ? kDefaultQuestionCount : pool.size()));

    if (options.order == QuestionOrder::Bank) {
        std::sort(pool.begin(), pool.end());
        pool.resize(count);
        return pool;
    }
    std::mt19937_64 random(seed);
    // Deal from each tier in turn, tiers and questions shuffled, so five questions drawn from
    // six tiers come from five tiers rather than wherever chance clusters them.
    std::vector<std::vector<std::size_t>> by_tier;
    for (const Tier& tier : bank.tiers()) {
        std::vector<std::size_t> members;
        for (std::size_t index : pool)
            if (bank.questions()[index].tier_id == tier.id) members.push_back(index);
        if (!members.empty()) {
            std::shuffle(members.begin(), members.end(), random);
            by_tier.push_back(std::move(members));
        }
    }
    std::shuffle(by_tier.begin(), by_tier.end(), random);
    std::vector<std::size_t> chosen;
    for (std::size_t round = 0; chosen.size() < count; ++round)
        for (const auto& members : by_tier)
            if (round < members.size() && chosen.size() < count) chosen.push_back(members[round]);
    return chosen;
}

}  // namespace ehrprep
