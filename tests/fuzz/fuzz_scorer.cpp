// An answer scored against a question of the built-in bank, as `ehrprep score` and the quiz
// do, and shown with its feedback. The first byte picks the question; the rest is the answer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ehrprep/coverage_view.hpp"
#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/insights.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/tokenizer.hpp"

namespace {

struct Fixture {
    ehrprep::QuestionBank bank = ehrprep::embedded_bank();
    ehrprep::Scorer scorer{bank, "built-in"};
    Fixture() { scorer.prepare_all(); }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    Fixture& f = fixture();
    const std::size_t index = data[0] % f.bank.questions().size();
    const std::string_view answer(reinterpret_cast<const char*>(data) + 1, size - 1);
    const ehrprep::CoverageResult result = f.scorer.score(answer, index);
    if (!(result.coverage >= 0.0 && result.coverage <= 1.0)) __builtin_trap();
    const std::string text = ehrprep::repair_utf8(answer).text;
    ehrprep::InsightRequest request;
    request.story = ehrprep::is_story_tier(f.bank.questions()[index].tier_id);
    const ehrprep::AnswerInsights insights = ehrprep::analyze_insights(text, request);
    const std::string view = ehrprep::render_coverage(result, f.bank.questions()[index], ehrprep::Style(false), 60,
                                                      true, &insights);
    // Nothing from the answer reaches the terminal with its control characters.
    if (!ehrprep::is_terminal_safe(view)) __builtin_trap();
    return 0;
}
