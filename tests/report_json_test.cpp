#include "ehrprep/report_json.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/progress_fixture.hpp"

using namespace ehrprep;
using ehrprep::test::build;
using ehrprep::test::fixed_history;
using ehrprep::test::progress_bank;

TEST_CASE("the JSON report carries a schema version and every view", "[report]") {
    const auto json = nlohmann::json::parse(render_json(build(progress_bank(), fixed_history())));
    CHECK(json["schema_version"] == kReportSchemaVersion);
    CHECK(json["generated_on"] == "2026-03-10");
    CHECK(json["summary"]["attempts"] == 11);
    CHECK(json["summary"]["current_streak_days"] == 3);
    CHECK(json["tiers"].size() == 2);
    CHECK(json["weakest"][0] == "retired-9");
    CHECK(json["most_missed_concepts"][0]["concept"] == "D");
    CHECK(json["sessions"].size() == 5);
    CHECK(json["daily"].size() == 5);
    const auto& q = json["questions"][0];
    for (const char* key : {"id", "tier", "question", "hint", "latest_coverage", "mean_coverage", "best_coverage",
                            "attempts", "last_attempt_at", "latest_missed"})
        CHECK(q.contains(key));
    CHECK(json["filter"]["since"].is_null());
}

TEST_CASE("the JSON report is laid out as the whole document dumped at once would be", "[report]") {
    std::vector<Attempt> many;
    Attempt a = fixed_history().front();
    for (int k = 0; k < 40; ++k) {
        a.session_id = "s" + std::to_string(k) + (k == 7 ? "\xff odd" : "") + (k == 9 ? "\t\"q\"\x01\x1f\\ \x7f end" : "");
        a.started_at += std::chrono::hours{5};
        many.push_back(a);
    }
    for (const ProgressReport& r : {build(progress_bank(), fixed_history()), build(progress_bank(), {}),
                                    build(progress_bank(), many)}) {
        const std::string json = render_json(r);
        CHECK(json == nlohmann::ordered_json::parse(json).dump(2) + "\n");
    }
    CHECK(nlohmann::json::parse(render_json(build(progress_bank(), {})))["sessions"] == nlohmann::json::array());
}
