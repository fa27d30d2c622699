#include <catch2/catch.hpp>

#include "ehrprep/insights.hpp"

using namespace ehrprep;

namespace {

std::size_t count_of(const std::vector<AnswerInsights::Count>& counts, const std::string& text) {
    for (const auto& c : counts)
        if (c.text == text) return c.count;
    return 0;
}

using Part = AnswerInsights::StarPart;

std::string shown(const AnswerInsights& insights, Part p) {
    REQUIRE(insights.star);
    return insights.star->parts[static_cast<std::size_t>(p)].sentence;
}

InsightRequest story() {
    InsightRequest request;
    request.story = true;
    return request;
}

}  // namespace

TEST_CASE("fillers and hedges are counted, and like only as a filler", "[insights]") {
    const AnswerInsights insights = analyze_insights(
        "So basically, I guess we'd, like, add guardrails. Basically it's kind of like a seatbelt, you know, "
        "and tools like Epic support it. Um, I guess that's it.",
        {});
    CHECK(count_of(insights.fillers, "basically") == 2);
    CHECK(count_of(insights.fillers, "I guess") == 2);
    CHECK(count_of(insights.fillers, "kind of") == 1);
    CHECK(count_of(insights.fillers, "you know") == 1);
    CHECK(count_of(insights.fillers, "um") == 1);
    CHECK(count_of(insights.fillers, "like") == 1);  // ", like," but not "kind of like" or "tools like Epic"
    CHECK(insights.fillers.front().count == 2);      // most used first
    CHECK(analyze_insights("We encrypt data at rest and log every access.", {}).fillers.empty());
}

TEST_CASE("words repeated far more than an answer needs are reported", "[insights]") {
    std::string answer;
    for (int i = 0; i < 3; ++i) answer += "The model checks the models output against the chart. ";
    const AnswerInsights insights = analyze_insights(answer, {});
    CHECK(count_of(insights.repeated, "model") == 6);  // "model" and "models" are one word
    CHECK(count_of(insights.repeated, "chart") == 0);  // three times is not unusual
    CHECK(insights.words == 27);
}

TEST_CASE("typing pace comes from the time taken", "[insights]") {
    InsightRequest timed;
    timed.seconds = 30.0;
    timed.limit_seconds = 120.0;
    const AnswerInsights insights = analyze_insights("one two three four five six seven eight nine ten", timed);
    REQUIRE(insights.words_per_minute());
    CHECK(*insights.words_per_minute() == Approx(20.0));
    CHECK(*insights.limit_seconds == 120.0);
    CHECK_FALSE(analyze_insights("no clock here", {}).words_per_minute());
}

TEST_CASE("a complete STAR story shows each part with the sentence that says it", "[insights]") {
    const AnswerInsights insights = analyze_insights(
        "In my last role we were rolling out a sepsis alert across four hospitals. "
        "I was responsible for getting the ICU nurses to trust it. "
        "I walked them through ten real cases and built a one-page guide with them. "
        "As a result, overrides fell from 60% to 25% in two months.",
        story());
    CHECK(shown(insights, Part::Situation) == "In my last role we were rolling out a sepsis alert across four hospitals");
    CHECK(shown(insights, Part::Task) == "I was responsible for getting the ICU nurses to trust it");
    CHECK(shown(insights, Part::Action) == "I walked them through ten real cases and built a one-page guide with them");
    CHECK(shown(insights, Part::Result) == "As a result, overrides fell from 60% to 25% in two months");
    CHECK(shown(analyze_insights("In my last job I led it. Alert response improved by 30%.", story()), Part::Result) ==
          "Alert response improved by 30%");
    CHECK(insights.star->suggestions.empty());
}

TEST_CASE("a story without a result or an I is told what to add", "[insights]") {
    const AnswerInsights insights = analyze_insights(
        "At my previous hospital we had an alert nobody trusted. We needed to fix it. We reviewed the rules "
        "and we retrained the model.",
        story());
    CHECK_FALSE(shown(insights, Part::Situation).empty());
    CHECK_FALSE(shown(insights, Part::Task).empty());
    CHECK_FALSE(shown(insights, Part::Action).empty());
    CHECK(shown(insights, Part::Result).empty());
    REQUIRE(insights.star->suggestions.size() == 2);
    CHECK(insights.star->suggestions[0] == "No Result: say what changed, with a number if you can.");
    CHECK(insights.star->suggestions[1] == "Say what you did yourself: the story says \"we\" 4 times and \"I\" never.");
    const AnswerInsights bare = analyze_insights("Communication is important.", story());
    CHECK(bare.star->suggestions.size() == 4);
}

TEST_CASE("only story questions get a STAR check", "[insights]") {
    CHECK_FALSE(analyze_insights("In my last role I built it.", {}).star);
    CHECK(is_story_tier("behavioral"));
    CHECK(is_story_tier("Behavioural"));
    CHECK_FALSE(is_story_tier("scenario"));
}
