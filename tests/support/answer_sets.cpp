#include "support/answer_sets.hpp"

#include <fstream>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ehrprep::test {

std::vector<SetAnswer> load_answer_set(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    const nlohmann::json json = nlohmann::json::parse(in);
    std::vector<SetAnswer> out;
    for (const auto& row : json.at("answers"))
        out.push_back({row.at("id"), row.at("writer"), row.at("kind"), row.value("style", ""), row.at("text")});
    return out;
}

double mean(const std::vector<double>& values) {
    return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

QualityFigures measure_quality(const QuestionBank& bank, Scorer& scorer, const std::vector<SetAnswer>& answers) {
    QualityFigures figures;
    // (question, writer) -> kind -> coverages
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<double>>> groups;
    auto tally = [&](Tally& t, bool met, const std::string& miss) {
        ++t.total;
        if (met) {
            ++t.met;
        } else {
            figures.misses.push_back(miss);
        }
    };
    for (const SetAnswer& answer : answers) {
        const auto index = bank.question_index(answer.id);
        if (!index) throw std::runtime_error("answer set names unknown question " + answer.id);
        const CoverageResult result = scorer.score(answer.text, *index);
        const std::string& tier = bank.questions()[*index].tier_id;
        groups[{answer.id, answer.writer}][answer.kind].push_back(result.coverage);
        figures.by_kind[answer.kind].push_back(result.coverage);
        figures.by_tier[{tier, answer.kind}].push_back(result.coverage);
        const std::string who = fmt::format("{}/{} {}", answer.id, answer.writer, answer.kind);
        if (answer.kind == "strong") {
            tally(figures.strong_high, result.coverage >= 0.60, fmt::format("{}: {:.2f} < 0.60", who, result.coverage));
            tally(figures.strong_unflagged, !result.term_list, who + ": read as a list");
        } else if (answer.kind == "vague") {
            tally(figures.vague_low, result.coverage <= 0.20, fmt::format("{}: {:.2f} > 0.20", who, result.coverage));
        } else if (answer.kind == "rejecting") {
            tally(figures.rejecting_low, result.coverage <= 0.20, fmt::format("{}: {:.2f} > 0.20", who, result.coverage));
        } else if (answer.kind == "list") {
            tally(figures.lists_flagged, result.term_list, who + ": not read as a list");
        }
    }
    for (const auto& [key, kinds] : groups) {
        const auto strong = kinds.find("strong");
        const auto partial = kinds.find("partial");
        const auto vague = kinds.find("vague");
        if (strong == kinds.end() || partial == kinds.end() || vague == kinds.end()) continue;
        bool ordered = partial->second.front() > vague->second.front();
        for (double s : strong->second) ordered = ordered && s > partial->second.front();
        tally(figures.ordered, ordered,
              fmt::format("{}/{}: strong {} partial {:.2f} vague {:.2f}", key.first, key.second,
                          fmt::join(strong->second, "/"), partial->second.front(), vague->second.front()));
    }
    return figures;
}

}  // namespace ehrprep::test
