#include <catch2/catch.hpp>

#include <set>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/question_selection.hpp"

using namespace ehrprep;

namespace {

std::vector<std::string> ids_of(const QuestionBank& bank, const std::vector<std::size_t>& indices) {
    std::vector<std::string> ids;
    for (std::size_t i : indices) ids.push_back(bank.questions()[i].id);
    return ids;
}

}  // namespace

TEST_CASE("bank order takes the first questions of the chosen tiers", "[selection]") {
    const QuestionBank bank = embedded_bank();
    SelectionOptions options;
    options.order = QuestionOrder::Bank;
    options.count = 2;
    CHECK(ids_of(bank, select_questions(bank, options, 0).value()) == std::vector<std::string>{"beginner-1", "beginner-2"});
    options.tiers = {"behavioral", "advanced"};
    options.count = 3;
    CHECK(ids_of(bank, select_questions(bank, options, 0).value()) ==
          std::vector<std::string>{"advanced-1", "advanced-2", "advanced-3"});
}

TEST_CASE("a random order is reproducible from its seed and mixes tiers", "[selection]") {
    const QuestionBank bank = embedded_bank();
    SelectionOptions options;
    const auto first = select_questions(bank, options, 42).value();
    CHECK(first == select_questions(bank, options, 42).value());
    CHECK(first.size() == 5);
    std::set<std::string> tiers;
    for (std::size_t i : first) tiers.insert(bank.questions()[i].tier_id);
    CHECK(tiers.size() == 5);  // five questions, five different tiers
    bool some_seed_differs = false;
    for (std::uint64_t seed = 1; seed < 10; ++seed) some_seed_differs |= select_questions(bank, options, seed).value() != first;
    CHECK(some_seed_differs);
}

TEST_CASE("the count is capped by what the filters leave", "[selection]") {
    const QuestionBank bank = embedded_bank();
    SelectionOptions options;
    options.tiers = {"beginner"};
    options.count = 20;
    CHECK(select_questions(bank, options, 7).value().size() == 5);
}

TEST_CASE("given ids, exactly those questions are asked, all of them by default", "[selection]") {
    const QuestionBank bank = embedded_bank();
    SelectionOptions options;
    options.ids = {"scenario-2", "BEGINNER-4", "scenario-2", "advanced-9", "behavioral-1", "beginner-1", "scenario-3"};
    options.order = QuestionOrder::Bank;
    CHECK(ids_of(bank, select_questions(bank, options, 1).value()) ==
          std::vector<std::string>{"beginner-1", "beginner-4", "advanced-9", "scenario-2", "scenario-3", "behavioral-1"});
    options.tiers = {"scenario"};
    CHECK(select_questions(bank, options, 1).value().size() == 2);
}

TEST_CASE("a filter that leaves nothing is an error, not an empty session", "[selection]") {
    const QuestionBank bank = embedded_bank();
    SelectionOptions options;
    options.ids = {"beginner-1"};
    options.tiers = {"advanced"};
    auto none = select_questions(bank, options, 1);
    REQUIRE_FALSE(none);
    CHECK(none.error().message == "none of the questions given with --ids is in tier advanced");
    options.ids = {"beginner-77"};
    options.tiers = {};
    CHECK(select_questions(bank, options, 1).error().message == "no question with id 'beginner-77' (see 'ehrprep list')");
}
