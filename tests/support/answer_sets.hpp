#pragma once

// The answer sets that measure how well the bank's concepts separate good answers from poor
// ones: for every question, two writers' strong, partial, vague, rejecting and bare-list
// answers, written without seeing the concepts and split once into a tuning and a held-out half.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"

namespace ehrprep::test {

struct SetAnswer {
    std::string id;      // question
    std::string writer;  // "A" or "B": one writer's six answers to a question belong together
    std::string kind;    // strong, partial, vague, rejecting, list
    std::string style;
    std::string text;
};

// Reads {"answers": [...]} from tests/data; throws on a malformed file, which is a broken test.
std::vector<SetAnswer> load_answer_set(const std::string& path);

struct Tally {
    std::size_t met = 0;
    std::size_t total = 0;
    [[nodiscard]] double share() const { return total == 0 ? 1.0 : static_cast<double>(met) / static_cast<double>(total); }
};

struct QualityFigures {
    Tally ordered;          // each writer's strongs > partial > vague
    Tally strong_high;      // strong >= 60%
    Tally vague_low;        // vague <= 20%
    Tally rejecting_low;    // rejecting <= 20%
    Tally lists_flagged;    // list answers read as lists
    Tally strong_unflagged; // strong answers not read as lists
    std::map<std::string, std::vector<double>> by_kind;                          // kind -> coverages
    std::map<std::pair<std::string, std::string>, std::vector<double>> by_tier;  // (tier, kind) -> coverages
    std::vector<std::string> misses;  // one line per answer or writer that missed a bar
};

QualityFigures measure_quality(const QuestionBank& bank, Scorer& scorer, const std::vector<SetAnswer>& answers);

double mean(const std::vector<double>& values);

}  // namespace ehrprep::test
