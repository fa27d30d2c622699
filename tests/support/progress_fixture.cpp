#include "support/progress_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace ehrprep::test {

QuestionBank progress_bank() {
    auto point = [](const char* label) { return Concept{label, 1.0, {label}}; };
    return QuestionBank(
        "Practice bank",
        {Tier{"basics", "Basics", 120}, Tier{"deep", "Deep Dive", 180}},
        {Question{"basics-1", "basics", "What is an EHR?", "Say what it holds.", {point("A"), point("B")}},
         Question{"basics-2", "basics", "What is FHIR?", "Mention resources.", {point("C"), point("D")}},
         Question{"deep-1", "deep", "Design a pipeline.", "Cover evaluation.", {point("E"), point("F")}},
         Question{"deep-2", "deep", "Handle drift.", "Monitor it.", {point("G")}}});
}

std::string progress_bank_json() {
    return R"({"schema_version": 1, "title": "Practice bank", "tiers": [
  {"id": "basics", "name": "Basics", "time_limit_seconds": 120, "questions": [
    {"id": "basics-1", "question": "What is an EHR?", "hint": "Say what it holds.",
     "concepts": [{"label": "A", "weight": 1, "any": ["alpha"]}, {"label": "B", "weight": 1, "any": ["bravo"]}]},
    {"id": "basics-2", "question": "What is FHIR?", "hint": "Mention resources.",
     "concepts": [{"label": "C", "weight": 1, "any": ["charlie"]}, {"label": "D", "weight": 1, "any": ["delta"]}]}]},
  {"id": "deep", "name": "Deep Dive", "time_limit_seconds": 180, "questions": [
    {"id": "deep-1", "question": "Design a pipeline.", "hint": "Cover evaluation.",
     "concepts": [{"label": "E", "weight": 1, "any": ["echo"]}, {"label": "F", "weight": 1, "any": ["foxtrot"]}]},
    {"id": "deep-2", "question": "Handle drift.", "hint": "Monitor it.",
     "concepts": [{"label": "G", "weight": 1, "any": ["golf"]}]}]}]})";
}

std::vector<Attempt> fixed_history() {
    auto at = [](const char* utc) { return parse_utc(utc).value(); };
    auto a = [&](const char* session, const char* question, const char* tier, const char* utc, Outcome outcome,
                 double coverage, std::vector<std::string> covered, std::vector<std::string> missed) {
        return Attempt{session, question, tier, at(utc), 95.5, outcome, coverage, std::move(covered), std::move(missed),
                       std::string("Answer to ") + question};
    };
    using O = Outcome;
    return {
        a("s1", "basics-1", "basics", "2026-03-01T09:00:00Z", O::Answered, 0.50, {"A"}, {"B"}),
        a("s1", "basics-2", "basics", "2026-03-01T09:03:00Z", O::Answered, 0.25, {}, {"C", "D"}),
        a("s1", "deep-1", "deep", "2026-03-01T09:06:00Z", O::Skipped, 0.0, {}, {}),
        a("s2", "basics-1", "basics", "2026-03-02T09:00:00Z", O::Answered, 0.75, {"A"}, {"B"}),
        a("s2", "deep-1", "deep", "2026-03-02T09:04:00Z", O::TimedOut, 0.40, {"F"}, {"E"}),
        a("s3", "basics-2", "basics", "2026-03-08T20:00:00Z", O::Answered, 0.80, {"C"}, {"D"}),
        a("s3", "deep-1", "deep", "2026-03-08T20:05:00Z", O::Answered, 0.30, {}, {"E", "F"}),
        a("s4", "basics-1", "basics", "2026-03-09T08:00:00Z", O::Answered, 1.00, {"A", "B"}, {}),
        a("s4", "deep-2", "deep", "2026-03-09T08:02:00Z", O::Quit, 0.0, {}, {}),
        a("s5", "deep-1", "deep", "2026-03-10T07:00:00Z", O::Answered, 0.60, {"E"}, {"F"}),
        a("s5", "retired-9", "basics", "2026-03-10T07:04:00Z", O::Answered, 0.50, {}, {"Old concept"}),
    };
}

LocalTime fixed_local(std::chrono::seconds offset) { return LocalTime(kFixedNow, offset); }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string to_jsonl(const std::vector<Attempt>& attempts) {
    std::string out;
    for (const Attempt& attempt : attempts) out += serialize_attempt(attempt) + "\n";
    return out;
}

ProgressReport build(const QuestionBank& bank, const std::vector<Attempt>& attempts, ProgressFilter filter,
                     const char* today, ProgressDetail detail) {
    // Every session open: the report folding ones are held to.
    ProgressBuilder builder(bank, filter, {}, detail, std::nullopt);
    if (filter.last_sessions) {
        SessionSelection selection(filter.last_sessions);
        for (const Attempt& attempt : attempts)
            if (filter.admits(attempt)) selection.add(attempt);
        builder.keep_sessions(selection);
    }
    for (const Attempt& attempt : attempts) builder.add(attempt);
    return std::move(builder).finish(parse_date(today).value(), kFixedNow);
}

void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(EHRPREP_SOURCE_DIR) + "/tests/golden/" + name;
    if (const char* update = std::getenv("EHRPREP_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        WARN("rewrote " << path);
        return;
    }
    std::ifstream in(path, std::ios::binary);
    INFO("golden file " << path << " (EHRPREP_UPDATE_GOLDEN=1 rewrites it)");
    REQUIRE(in.good());
    std::ostringstream expected;
    expected << in.rdbuf();
    CHECK(actual == expected.str());
}

}  // namespace ehrprep::test
