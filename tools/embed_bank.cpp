// Build step: checks data/questions.json and writes it out as C++ that constructs the bank
// directly, so a broken bank fails the build and the binary never parses its own bank.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"

namespace {

std::string literal(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7F && c != '?') {  // '?' could start a trigraph-like sequence
            out += static_cast<char>(c);
        } else {
            out += fmt::format("\\{:03o}", c);
        }
    }
    return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: ehrprep_embed_bank BANK.json DISPLAY_NAME OUTPUT.cpp\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::cerr << argv[1] << ": cannot read\n";
        return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto bank = ehrprep::parse_question_bank(text.str(), argv[2]);
    if (!bank) {
        for (const auto& line : bank.error().lines) std::cerr << line << '\n';
        return 1;
    }
    if (auto checked = ehrprep::Scorer::check(*bank, argv[2]); !checked) {
        for (const auto& line : checked.error().lines) std::cerr << line << '\n';
        return 1;
    }

    // Flat tables of string views, turned into the bank's vectors by one loop: far cheaper at
    // start-up than nested initializer lists, which copy every string twice.
    std::string tiers, questions, concepts, phrasings, cues, cue_sets, cue_words;
    std::size_t concept_count = 0;
    std::size_t phrasing_count = 0;
    std::size_t cue_count = 0;
    std::size_t set_count = 0;
    std::size_t word_count = 0;
    for (const auto& tier : bank->tiers())
        tiers += fmt::format("    {{{}, {}, {}}},\n", literal(tier.id), literal(tier.name), tier.time_limit_seconds);
    for (const auto& q : bank->questions()) {
        questions += fmt::format("    {{{}, {}, {}, {}, {}, {}, {}}},\n", literal(q.id), literal(q.tier_id),
                                 literal(q.text), literal(q.hint), literal(q.example), concept_count, q.concepts.size());
        for (const auto& c : q.concepts) {
            concepts += fmt::format("    {{{}, {}, {}, {}, {}, {}, {}, {}}},\n", literal(c.label), literal(c.tip),
                                    c.weight, c.avoids ? "true" : "false", phrasing_count, c.phrasings.size(),
                                    cue_count, c.cues.size());
            for (const auto& phrasing : c.phrasings) phrasings += "    " + literal(phrasing) + ",\n";
            phrasing_count += c.phrasings.size();
            for (const auto& cue : c.cues) {
                cues += fmt::format("    {{{}, {}, {}, {}}},\n", set_count, cue.sets.size(), cue.at_least, cue.within);
                for (const auto& set : cue.sets) {
                    cue_sets += fmt::format("    {{{}, {}}},\n", word_count, set.size());
                    for (const auto& word : set) cue_words += "    " + literal(word) + ",\n";
                    word_count += set.size();
                    ++set_count;
                }
                ++cue_count;
            }
            ++concept_count;
        }
    }
    std::string code = fmt::format(R"(// Generated from {source} by ehrprep_embed_bank; edit that file instead.
#include "ehrprep/embedded_bank.hpp"

#include <cstddef>

namespace ehrprep {{
namespace {{

struct TierRow {{ std::string_view id, name; int time_limit_seconds; }};
struct QuestionRow {{ std::string_view id, tier, text, hint, example; std::size_t first_concept, concepts; }};
struct ConceptRow {{
    std::string_view label, tip;
    double weight;
    bool avoids;
    std::size_t first_phrasing, phrasings, first_cue, cues;
}};
struct CueRow {{ std::size_t first_set, sets, at_least, within; }};
struct SetRow {{ std::size_t first_word, words; }};

constexpr TierRow kTiers[] = {{
{tiers}}};
constexpr QuestionRow kQuestions[] = {{
{questions}}};
constexpr ConceptRow kConcepts[] = {{
{concepts}}};
constexpr std::string_view kPhrasings[] = {{
{phrasings}}};
constexpr CueRow kCues[] = {{
{cues}    {{0, 0, 0, 0}},
}};
constexpr SetRow kCueSets[] = {{
{cue_sets}    {{0, 0}},
}};
constexpr std::string_view kCueWords[] = {{
{cue_words}    "",
}};

}}  // namespace

QuestionBank embedded_bank() {{
    std::vector<Tier> tiers;
    tiers.reserve(std::size(kTiers));
    for (const TierRow& row : kTiers) tiers.push_back({{std::string(row.id), std::string(row.name), row.time_limit_seconds}});
    std::vector<Question> questions(std::size(kQuestions));
    for (std::size_t i = 0; i < questions.size(); ++i) {{
        const QuestionRow& row = kQuestions[i];
        Question& q = questions[i];
        q.id = row.id;
        q.tier_id = row.tier;
        q.text = row.text;
        q.hint = row.hint;
        q.example = row.example;
        q.concepts.resize(row.concepts);
        for (std::size_t k = 0; k < row.concepts; ++k) {{
            const ConceptRow& c = kConcepts[row.first_concept + k];
            q.concepts[k].label = c.label;
            q.concepts[k].weight = c.weight;
            q.concepts[k].tip = c.tip;
            q.concepts[k].avoids = c.avoids;
            q.concepts[k].phrasings.assign(kPhrasings + c.first_phrasing, kPhrasings + c.first_phrasing + c.phrasings);
            for (std::size_t n = 0; n < c.cues; ++n) {{
                const CueRow& row_cue = kCues[c.first_cue + n];
                Cue& cue = q.concepts[k].cues.emplace_back();
                cue.at_least = row_cue.at_least;
                cue.within = row_cue.within;
                for (std::size_t m = 0; m < row_cue.sets; ++m) {{
                    const SetRow& set = kCueSets[row_cue.first_set + m];
                    cue.sets.emplace_back(kCueWords + set.first_word, kCueWords + set.first_word + set.words);
                }}
            }}
        }}
    }}
    return QuestionBank({title}, std::move(tiers), std::move(questions));
}}

}}  // namespace ehrprep
)",
                                   fmt::arg("source", argv[2]), fmt::arg("tiers", tiers), fmt::arg("questions", questions),
                                   fmt::arg("concepts", concepts), fmt::arg("phrasings", phrasings),
                                   fmt::arg("cues", cues), fmt::arg("cue_sets", cue_sets), fmt::arg("cue_words", cue_words),
                                   fmt::arg("title", literal(bank->title())));

    std::string temp = std::string(argv[3]) + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << code;
        if (!out) {
            std::cerr << temp << ": cannot write\n";
            return 1;
        }
    }
    if (std::rename(temp.c_str(), argv[3]) != 0) {
        std::cerr << argv[3] << ": cannot replace\n";
        return 1;
    }
    return 0;
}
