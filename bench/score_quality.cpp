// Prints how well the built-in bank's concepts separate strong, partial, vague, rejecting and
// bare-list answers, on the tuning half of the answer sets and on the held-out half that the
// concepts were never tuned on, and on rejecting answers in other styles. Usage:
// ehrprep_score_quality [--misses]
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ehrprep/embedded_bank.hpp"
#include "support/answer_sets.hpp"

using namespace ehrprep;

namespace {

void report(const char* name, const test::QualityFigures& f, bool misses) {
    auto line = [](const char* what, const test::Tally& t, const char* target) {
        fmt::print("  {:<38} {:>4}/{:<4} {:>5.1f}%   (target {})\n", what, t.met, t.total, t.share() * 100.0, target);
    };
    fmt::print("{}\n", name);
    line("strong > partial > vague, per writer", f.ordered, ">= 95%");
    line("strong answers at 60% or more", f.strong_high, ">= 90%");
    line("vague answers at 20% or less", f.vague_low, ">= 95%");
    line("rejecting answers at 20% or less", f.rejecting_low, ">= 90%");
    line("bare lists flagged", f.lists_flagged, ">= 90%");
    line("strong answers not taken for lists", f.strong_unflagged, "100%");
    fmt::print("  mean coverage:");
    for (const char* kind : {"strong", "partial", "vague", "rejecting", "list"})
        fmt::print(" {} {:.2f}", kind, test::mean(f.by_kind.at(kind)));
    fmt::print("\n");
    std::set<std::string> tiers;
    for (const auto& [key, values] : f.by_tier) tiers.insert(key.first);
    for (const std::string& tier : tiers) {
        fmt::print("    {:<13}", tier);
        for (const char* kind : {"strong", "partial", "vague", "rejecting", "list"})
            fmt::print(" {} {:.2f}", kind, test::mean(f.by_tier.at({tier, kind})));
        fmt::print("\n");
    }
    if (misses)
        for (const std::string& miss : f.misses) fmt::print("    miss: {}\n", miss);
}

// A dev set, free to tune on: answers that reject the hint's points in styles the halves
// rarely use (stories of dropped work, sarcasm, "fine in theory", hurried typing).
void report_rejecting_styles(const QuestionBank& bank, Scorer& scorer, const std::vector<test::SetAnswer>& answers) {
    std::map<std::string, std::vector<double>> by_style;
    test::Tally low;
    for (const test::SetAnswer& answer : answers) {
        const double coverage = scorer.score(answer.text, *bank.question_index(answer.id)).coverage;
        by_style[answer.style].push_back(coverage);
        ++low.total;
        if (coverage <= 0.20) ++low.met;
    }
    fmt::print("rejecting answers in other styles (a dev set: tune on it freely)\n");
    fmt::print("  {:<38} {:>4}/{:<4} {:>5.1f}%\n", "rejecting answers at 20% or less", low.met, low.total,
               low.share() * 100.0);
    fmt::print("  mean coverage:");
    for (const auto& [style, values] : by_style) fmt::print(" {} {:.2f}", style, test::mean(values));
    fmt::print("\n");
}

}  // namespace

int main(int argc, char** argv) {
    const bool misses = argc > 1 && std::strcmp(argv[1], "--misses") == 0;
    const QuestionBank bank = embedded_bank();
    Scorer scorer(bank, "bank");
    const std::string dir = EHRPREP_SOURCE_DIR "/tests/data/";
    report("tuning half (the concepts were tuned on these)", test::measure_quality(bank, scorer, test::load_answer_set(dir + "answers-tuning.json")), misses);
    report("held-out half (never tuned on)", test::measure_quality(bank, scorer, test::load_answer_set(dir + "answers-heldout.json")), misses);
    report_rejecting_styles(bank, scorer, test::load_answer_set(dir + "answers-rejecting-styles.json"));
    return 0;
}
