#include "ehrprep/coverage_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/text_layout.hpp"

namespace ehrprep {

std::string coverage_bar(double fraction, std::size_t width, bool unicode) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    if (!unicode) {
        auto filled = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(width)));
        return std::string(filled, '#') + std::string(width - filled, '.');
    }
    // Eighths of a cell, so small differences still show.
    static constexpr const char* kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    auto eighths = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(width) * 8.0));
    std::string out;
    std::size_t cells = 0;
    for (; cells < eighths / 8; ++cells) out += "█";
    if (eighths % 8 != 0) {
        out += kPartial[eighths % 8];
        ++cells;
    }
    for (; cells < width; ++cells) out += "░";
    return out;
}

std::string render_coverage(const CoverageResult& result, const Question& question, const Style& style,
                            std::size_t width, bool unicode) {
    width = std::max<std::size_t>(width, 40);
    const int percent = static_cast<int>(std::lround(result.coverage * 100.0));
    const std::string band(band_name(result.band));
    auto paint = [&](const std::string& text) {
        switch (result.band) {
            case Band::Strong: return style.green(text);
            case Band::Partial: return style.yellow(text);
            case Band::NeedsWork: break;
        }
        return style.red(text);
    };
    std::string out = fmt::format("{} {} {}  ({} of {} points)\n", style.bold(fmt::format("Coverage {:>3}%", percent)),
                                  paint(coverage_bar(result.coverage, 20, unicode)), paint(band), result.covered.size(),
                                  result.covered.size() + result.missed.size() + result.rejected.size());
    const std::string tick = unicode ? "✓" : "+";
    const std::string cross = unicode ? "✗" : "-";
    auto indented = [&](const std::string& text, std::size_t indent) {
        std::string block;
        for (const std::string& line : wrap_text(text, width - indent))
            block += std::string(indent, ' ') + line + "\n";
        return block;
    };
    if (!result.covered.empty()) {
        out += "\n" + style.bold("Covered") + "\n";
        for (const CoveredConcept& c : result.covered) {
            out += fmt::format("  {} {}\n", style.green(tick), c.label);
            out += style.dim(indented(fmt::format("you said: \"{}\"", c.matched), 6));
        }
    }
    if (!result.missed.empty()) {
        out += "\n" + style.bold("Missed") + "\n";
        for (const MissedConcept& c : result.missed) out += fmt::format("  {} {}\n", style.red(cross), c.label);
    }
    if (!result.rejected.empty()) {
        out += "\n" + style.bold("Argued against") + style.dim(" (mentioned, but said as not needed or not done: no credit)") +
               "\n";
        for (const RejectedConcept& c : result.rejected) {
            out += fmt::format("  {} {}\n", style.red(cross), c.label);
            out += style.dim(indented(fmt::format("you said: \"{}\"", c.matched), 6));
        }
    }
    if (result.term_list) {
        out += "\n" + style.yellow("Reads as a list of terms: say how and why.") +
               style.dim(fmt::format(" Listed points count {:.0f}%.", kTermListCredit * 100.0)) + "\n";
    }
    out += "\n" + style.bold("What a great answer covers") + "\n";
    out += indented(question.hint, 2);
    return out;
}

std::string coverage_json(const CoverageResult& result) {
    nlohmann::ordered_json json;
    json["question"] = result.question_id;
    // Four decimals are plenty for a percentage and keep output stable across platforms.
    json["coverage"] = std::round(result.coverage * 10000.0) / 10000.0;
    json["band"] = std::string(band_name(result.band));
    json["covered"] = nlohmann::ordered_json::array();
    for (const CoveredConcept& c : result.covered)
        json["covered"].push_back({{"concept", c.label}, {"matched", c.matched}});
    json["missed"] = nlohmann::ordered_json::array();
    for (const MissedConcept& c : result.missed) json["missed"].push_back(c.label);
    json["rejected"] = nlohmann::ordered_json::array();
    for (const RejectedConcept& c : result.rejected)
        json["rejected"].push_back({{"concept", c.label}, {"matched", c.matched}});
    json["reads_as_list"] = result.term_list;
    return json.dump(2);
}

}  // namespace ehrprep
