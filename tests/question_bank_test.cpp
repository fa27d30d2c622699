#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/question_bank.hpp"

using namespace ehrprep;

namespace {

// The hints of the seed page, in page order, and how many each tier has.
struct Seed {
    std::vector<std::string> hints;
    std::vector<std::pair<std::string, std::size_t>> tier_counts;
};

Seed read_seed() {
    std::ifstream in(EHRPREP_SEED_FILE);
    REQUIRE(in);
    Seed seed;
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    const std::set<std::string> tier_names{"Beginner", "Intermediate", "Advanced", "Scenario-Based",
                                           "AI Workflow & Tools", "Behavioral"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (tier_names.count(lines[i]) && i + 2 < lines.size() && lines[i + 2].find(" questions") != std::string::npos)
            seed.tier_counts.emplace_back(lines[i], 0);
        if (lines[i] == "What a great answer covers:") {
            std::size_t j = i + 1;
            while (lines[j].empty()) ++j;
            seed.hints.push_back(lines[j]);
            ++seed.tier_counts.back().second;
            i = j;
        }
    }
    return seed;
}

std::string minimal_bank(const std::string& questions_json) {
    return R"({"schema_version": 1, "title": "T", "tiers": [{"id": "t1", "name": "Tier One", "time_limit_seconds": 60,
      "questions": )" + questions_json + "}]}";
}

const char* kGoodQuestion =
    R"({"id": "q1", "question": "Why?", "hint": "Because.", "concepts": [{"label": "reason", "any": ["because"]}]})";

std::vector<std::string> problems_of(const std::string& json) {
    auto bank = parse_question_bank(json, "bank.json");
    REQUIRE_FALSE(bank);
    return bank.error().lines;
}

}  // namespace

TEST_CASE("the built-in bank holds the seed page's 50 questions in its six tiers", "[bank]") {
    const QuestionBank bank = embedded_bank();
    const Seed seed = read_seed();
    REQUIRE(seed.hints.size() == 50);
    REQUIRE(bank.questions().size() == 50);
    REQUIRE(bank.tiers().size() == 6);

    const std::vector<std::pair<std::string, std::string>> expected_tiers{
        {"beginner", "Beginner"},   {"intermediate", "Intermediate"}, {"advanced", "Advanced"},
        {"scenario", "Scenario-Based"}, {"ai-workflow", "AI Workflow & Tools"}, {"behavioral", "Behavioral"}};
    for (std::size_t t = 0; t < 6; ++t) {
        CAPTURE(t);
        CHECK(bank.tiers()[t].id == expected_tiers[t].first);
        CHECK(bank.tiers()[t].name == expected_tiers[t].second);
        CHECK(bank.tiers()[t].name == seed.tier_counts[t].first);
        CHECK(bank.count_in_tier(bank.tiers()[t].id) == seed.tier_counts[t].second);
    }
    std::set<std::string> ids;
    std::set<std::string> texts;
    for (std::size_t i = 0; i < 50; ++i) {
        const Question& q = bank.questions()[i];
        CAPTURE(q.id);
        CHECK(q.hint == seed.hints[i]);  // verbatim, in page order
        CHECK(ids.insert(q.id).second);
        CHECK(q.text.size() > 15);
        CHECK((q.text.back() == '?' || q.text.back() == '.'));
        CHECK(texts.insert(q.text).second);
        CHECK(q.concepts.size() >= 3);
        CHECK(q.concepts.size() <= 8);
        CHECK_FALSE(q.example.empty());
        for (const Concept& c : q.concepts) {
            CAPTURE(c.label);
            // Enough ways to say it: fixed phrasings, plus the words of its cues.
            std::size_t ways = c.phrasings.size();
            for (const Cue& cue : c.cues)
                for (const auto& set : cue.sets) ways += set.size();
            CHECK(ways >= 6);
            CHECK_FALSE(c.tip.empty());
            CHECK(c.weight > 0);
        }
    }
}

TEST_CASE("question ids and tiers are found case-insensitively, with workflow as an alias", "[bank]") {
    const QuestionBank bank = embedded_bank();
    REQUIRE(bank.find_question("Beginner-1") != nullptr);
    CHECK(bank.find_question("beginner-1")->tier_id == "beginner");
    CHECK(bank.find_question("beginner-99") == nullptr);
    CHECK(bank.resolve_tier("ADVANCED").value() == "advanced");
    CHECK(bank.resolve_tier("workflow").value() == "ai-workflow");
    CHECK(bank.resolve_tier("Scenario-Based").value() == "scenario");
    auto unknown = bank.resolve_tier("expert");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message ==
          "unknown tier 'expert' (valid tiers: beginner, intermediate, advanced, scenario, ai-workflow, behavioral)");
}

TEST_CASE("a slip in a tier or question id is answered with did you mean", "[bank]") {
    const QuestionBank bank = embedded_bank();
    CHECK(bank.resolve_tier("begginer").error().message == "unknown tier 'begginer' (did you mean beginner?)");
    CHECK(bank.resolve_tier("behavioural").error().message == "unknown tier 'behavioural' (did you mean behavioral?)");
    // A slip in a display name suggests the id, which is what to type.
    CHECK(bank.resolve_tier("Scenario-Base").error().message == "unknown tier 'Scenario-Base' (did you mean scenario?)");
    CHECK(bank.resolve_tier("workflw").error().message == "unknown tier 'workflw' (did you mean ai-workflow?)");
    CHECK(bank.no_such_question("begginer-3").message == "no question with id 'begginer-3' (did you mean beginner-3?)");
    CHECK(bank.no_such_question("advnaced-10").message ==
          "no question with id 'advnaced-10' (did you mean advanced-10?)");
    CHECK(bank.no_such_question("nope").message == "no question with id 'nope' (see 'ehrprep list')");
    CHECK(bank.no_such_question("nope").exit_status == kExitBadInput);
}

TEST_CASE("a custom bank may have any tiers and any number of questions", "[bank]") {
    auto bank = parse_question_bank(minimal_bank(std::string("[") + kGoodQuestion + "]"), "bank.json");
    REQUIRE(bank);
    CHECK(bank->title() == "T");
    CHECK(bank->questions().size() == 1);
    CHECK(bank->tiers()[0].time_limit_seconds == 60);
    CHECK(bank->questions()[0].concepts[0].weight == 1.0);
}

TEST_CASE("questions may be listed at the top level, each naming its tier", "[bank]") {
    const std::string json = R"({"schema_version": 1, "title": "T",
      "tiers": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
      "questions": [
        {"id": "b1", "tier": "b", "question": "Q?", "hint": "H.", "concepts": [{"label": "l", "any": ["x"]}]},
        {"id": "a1", "tier": "A", "question": "Q?", "hint": "H.", "concepts": [{"label": "l", "any": ["x"]}]}]})";
    auto bank = parse_question_bank(json, "flat.json");
    REQUIRE(bank);
    REQUIRE(bank->questions().size() == 2);
    CHECK(bank->questions()[0].id == "a1");  // tier order, not file order
    CHECK(bank->questions()[0].tier_id == "a");
    CHECK(bank->tiers()[0].time_limit_seconds == 180);
}

TEST_CASE("malformed JSON is reported as FILE:LINE:COLUMN", "[bank]") {
    auto lines = problems_of("{\n  \"title\": \"T\",\n  \"tiers\": [,]\n}");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("bank.json:3:13: ", 0) == 0);
    CHECK(lines[0].find("syntax error") != std::string::npos);

    auto truncated = problems_of("{\"title\": \"T\"");
    REQUIRE(truncated.size() == 1);
    CHECK(truncated[0].rfind("bank.json:1:", 0) == 0);
}

TEST_CASE("every schema problem is reported, naming the question or tier and the field", "[bank]") {
    const std::string json = R"({"schema_version": 1, "title": "T", "tiers": [
      {"id": "t1", "name": "Tier", "time_limit_seconds": "long", "questions": [
        {"id": "q1", "question": "", "hint": "H", "concepts": [{"label": "l", "any": ["x"]}]},
        {"id": "q2", "question": "Q", "hint": "  ", "concepts": [{"label": "l", "any": ["x"]}]},
        {"id": "q1", "question": "Q", "hint": "H", "concepts": [{"label": "l", "any": ["x"]}]},
        {"id": "q4", "question": 7, "hint": "H", "concepts": []},
        {"id": "q5", "question": "Q", "hint": "H", "concepts": [{"label": "l", "weight": 0, "any": []}]},
        {"id": "q6", "question": "Q", "hint": "H"}
      ]},
      {"id": "t1", "name": "Again"}],
      "questions": [{"id": "q7", "tier": "nowhere", "question": "Q", "hint": "H", "concepts": []}]})";
    const std::vector<std::string> expected{
        "bank.json: tier 't1': field 'time_limit_seconds' must be a whole number of seconds from 1 to 86400",
        "bank.json: tier 't1': duplicate tier id",
        "bank.json: question 'q1': field 'question' is empty",
        "bank.json: question 'q2': field 'hint' is empty",
        "bank.json: question 'q1': duplicate id (ids must be unique, ignoring case)",
        "bank.json: question 'q4': field 'question' must be a string, not an integer",
        "bank.json: question 'q4': field 'concepts' is empty: a question needs at least one concept to score",
        "bank.json: question 'q5', concept 'l': field 'weight' must be greater than 0",
        "bank.json: question 'q5', concept 'l': field 'any' is empty: a concept needs at least one phrasing",
        "bank.json: question 'q6': missing field 'concepts'",
        "bank.json: question 'q7': field 'tier' names unknown tier 'nowhere' (tiers: t1, t1)",
    };
    CHECK(problems_of(json) == expected);
}

TEST_CASE("the bank's own fields are checked", "[bank]") {
    CHECK(problems_of("[]") == std::vector<std::string>{"bank.json: the bank must be a JSON object, not an array"});
    CHECK(problems_of(R"({"schema_version": 2, "title": "", "tiers": []})") ==
          std::vector<std::string>{"bank.json: bank: field 'schema_version' is 2; this version of ehrprep reads 1",
                                   "bank.json: bank: field 'title' is empty", "bank.json: bank: field 'tiers' is empty"});
    CHECK(problems_of(R"({"title": "T", "tiers": [{"id": "a b", "name": "N", "questions": []}]})") ==
          std::vector<std::string>{"bank.json: bank: missing field 'schema_version'",
                                   "bank.json: tier 'a b': field 'id' may contain only letters, digits, '-', '_' and '.'"});
    CHECK(problems_of(R"({"schema_version": 1, "title": "T", "tiers": [{"id": "a", "name": "N", "questions": []}]})") ==
          std::vector<std::string>{"bank.json: bank: the bank has no questions"});
}

TEST_CASE("cues and the avoids flag are read and checked", "[bank]") {
    auto bank = parse_question_bank(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.", "concepts": [
        {"label": "phased", "any": ["phased delivery"], "avoids": true,
         "cues": [{"sets": [["release", "week"], ["checkpoint"]], "at_least": 2, "within": 8}]}]}])"),
                                    "bank.json");
    REQUIRE(bank);
    const Concept& c = bank->questions()[0].concepts[0];
    CHECK(c.avoids);
    REQUIRE(c.cues.size() == 1);
    CHECK(c.cues[0].sets == std::vector<std::vector<std::string>>{{"release", "week"}, {"checkpoint"}});
    CHECK(c.cues[0].at_least == 2);
    CHECK(c.cues[0].within == 8);

    auto bad = [](const std::string& cue) {
        return problems_of(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.", "concepts": [
            {"label": "c", "any": ["x y"], "cues": [)" + cue + "]}]}]"));
    };
    CHECK(bad(R"({"sets": [["a", "b"]]})") ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c', cue 1: a cue with one set needs 'at_least' of "
                                   "2 or more; a single phrasing belongs in 'any'"});
    CHECK(bad(R"({"sets": [["a"], ["b"]], "at_least": 3})") ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c', cue 1: field 'at_least' must be a whole "
                                   "number from 2 (one per set) to 2 (every entry)"});
    CHECK(bad(R"({"sets": [["a"], []]})") ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c', cue 1: field 'sets' item 2 must be a "
                                   "non-empty array of words"});
    CHECK(bad(R"({"sets": [["a"], ["b"]], "within": 1000})") ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c', cue 1: field 'within' must be a whole number "
                                   "of words from 2 to 40"});
    CHECK(bad(R"({"words": ["a"]})") ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c', cue 1: missing field 'sets' (lists of words "
                                   "that say the concept together)"});
}

TEST_CASE("tips and example answers are optional, but a bank that has them has them everywhere", "[bank]") {
    CHECK(parse_question_bank(minimal_bank(std::string("[") + kGoodQuestion + "]"), "bank.json"));
    auto with = parse_question_bank(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.", "example": "I would.",
        "concepts": [{"label": "c", "any": ["x y"], "tip": "Say how."}]}])"),
                                    "bank.json");
    REQUIRE(with);
    CHECK(with->questions()[0].example == "I would.");
    CHECK(with->questions()[0].concepts[0].tip == "Say how.");
    CHECK(problems_of(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.", "example": "I would.",
        "concepts": [{"label": "c", "any": ["x y"], "tip": "Say how."}, {"label": "d", "any": ["z w"]}]},
        {"id": "q2", "question": "Q?", "hint": "H.", "concepts": [{"label": "e", "any": ["x y"], "tip": "T."}]}])")) ==
          std::vector<std::string>{
              "bank.json: question 'q1', concept 'd': missing field 'tip' (other concepts have a tip)",
              "bank.json: question 'q2': missing field 'example' (other questions have an example answer)"});
    CHECK(problems_of(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.", "concepts": [
        {"label": "c", "any": ["x y"], "tip": ")" + std::string(241, 'x') + R"("}]}])")) ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c': field 'tip' is 241 characters; keep it to 240"});
}

TEST_CASE("a number out of range anywhere in a bank is reported as FILE:LINE:COLUMN, not a crash", "[bank]") {
    CHECK(problems_of(R"({"schema_version":1e400})") ==
          std::vector<std::string>{"bank.json:1:23: number overflow parsing '1e400'"});
    const std::string deep = minimal_bank(
        "[{\"id\": \"q1\", \"question\": \"Why?\", \"hint\": \"Because.\",\n"
        "  \"concepts\": [{\"label\": \"reason\", \"weight\": -2e999, \"any\": [\"because\"]}]}]");
    const auto lines = problems_of(deep);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("bank.json:3:", 0) == 0);
    CHECK(lines[0].find("number overflow parsing '-2e999'") != std::string::npos);
}

TEST_CASE("weights that add up beyond any number are a schema problem", "[bank]") {
    const std::string bank = minimal_bank(
        R"([{"id": "q1", "question": "Why?", "hint": "Because.", "concepts": [
            {"label": "a", "weight": 1e308, "any": ["alpha"]}, {"label": "b", "weight": 1e308, "any": ["bravo"]}]}])");
    CHECK(problems_of(bank) ==
          std::vector<std::string>{"bank.json: question 'q1': the concepts' weights add up to more than a number can hold"});
}

TEST_CASE("a NUL byte ends nothing: what follows it is not let through", "[bank]") {
    std::string bank = minimal_bank(std::string("[") + kGoodQuestion + "]");
    REQUIRE(parse_question_bank(bank, "bank.json"));
    bank += std::string(1, '\0') + "garbage";
    const auto lines = problems_of(bank);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("bank.json:2:", 0) == 0);
    CHECK(lines[0].find("NUL") != std::string::npos);
}

TEST_CASE("a schema version no integer type holds is named as written", "[bank]") {
    CHECK(problems_of(R"({"schema_version": 18446744073709551615, "title": "T", "tiers": []})")[0] ==
          "bank.json: bank: field 'schema_version' is 18446744073709551615; this version of ehrprep reads 1");
    CHECK(problems_of(R"({"schema_version": 1e20, "title": "T", "tiers": []})")[0] ==
          "bank.json: bank: field 'schema_version' must be an integer, not a number");
}

TEST_CASE("fields may be written in any order: problems still name the question and come in the same order", "[bank]") {
    // The id comes after the field that has the problem, the tier's id after its questions, and
    // the top-level questions before the tiers they name.
    const std::string json = R"({"questions": [
        {"hint": "H", "concepts": [{"any": [], "label": "l"}], "question": "Q", "tier": "T1", "id": "flat"}],
      "tiers": [{"questions": [
          {"concepts": [{"label": "l", "any": ["x"]}], "hint": "", "question": "Q", "id": "q1"},
          {"question": "Q", "hint": "H", "concepts": [{"label": "l", "any": ["x"]}]}],
        "name": "Tier", "id": "t1"}],
      "title": "T", "schema_version": 1})";
    CHECK(problems_of(json) ==
          std::vector<std::string>{
              "bank.json: question 'q1': field 'hint' is empty",
              "bank.json: tier 't1', question 2: missing field 'id'",
              "bank.json: question 'flat', concept 'l': field 'any' is empty: a concept needs at least one phrasing"});
}

TEST_CASE("a field written twice counts as written last", "[bank]") {
    CHECK(problems_of(minimal_bank(R"([{"id": "q1", "question": "Q?", "hint": "H.",
        "concepts": [{"label": "c", "any": ["x y"], "any": "x y"}]}])")) ==
          std::vector<std::string>{"bank.json: question 'q1', concept 'c': field 'any' must be an array, not a string"});
    auto bank = parse_question_bank(minimal_bank(R"([{"id": "q1", "question": 7, "question": "Q?", "hint": "H.",
        "concepts": [{"label": "bad", "any": []}], "concepts": [{"label": "c", "any": ["x y"], "weight": 3}]}])"),
                                    "bank.json");
    REQUIRE(bank);
    CHECK(bank->questions()[0].text == "Q?");
    REQUIRE(bank->questions()[0].concepts.size() == 1);
    CHECK(bank->questions()[0].concepts[0].label == "c");
    CHECK(bank->questions()[0].concepts[0].weight == 3.0);
}

TEST_CASE("fields the bank does not know are skipped, however deeply they nest", "[bank]") {
    const std::string deep = std::string(100000, '[') + R"({"a": 1})" + std::string(100000, ']');
    const std::string json = R"({"schema_version": 1, "title": "T", "notes": )" + deep + R"(,
      "tiers": [{"id": "t1", "name": "Tier", "colour": {"id": "not-a-tier", "questions": [1]}, "questions": [
        {"id": "q1", "question": "Why?", "hint": "Because.", "author": {"name": "n", "concepts": []},
         "concepts": [{"label": "reason", "any": ["because"], "see_also": [{"label": null}]}]}]}]})";
    auto bank = parse_question_bank(json, "bank.json");
    REQUIRE(bank);
    REQUIRE(bank->questions().size() == 1);
    CHECK(bank->tiers()[0].id == "t1");
    CHECK(bank->questions()[0].concepts[0].phrasings == std::vector<std::string>{"because"});
}
