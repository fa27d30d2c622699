#include "ehrprep/coverage_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/quiz_session.hpp"
#include "ehrprep/safe_text.hpp"
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

namespace {

const Concept* concept_labelled(const Question& question, std::string_view label) {
    for (const Concept& c : question.concepts)
        if (c.label == label) return &c;
    return nullptr;
}

std::string times(std::size_t count) { return fmt::format("\u00d7{}", count); }

}  // namespace

std::string render_coverage(const CoverageResult& result, const Question& question, const Style& style,
                            std::size_t width, bool unicode, const AnswerInsights* insights) {
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
    // The score line fits the width: a shorter bar first, then the count on a line of its own.
    const std::string score = fmt::format("Coverage {:>3}%", percent);
    const std::string points = fmt::format("({} of {} points)", result.covered.size(),
                                           result.covered.size() + result.missed.size() + result.rejected.size());
    const std::size_t bar = score.size() + 1 + 20 + 1 + band.size() + 2 + points.size() <= width ? 20 : 10;
    const bool points_fit = score.size() + 1 + bar + 1 + band.size() + 2 + points.size() <= width;
    std::string out = fmt::format("{} {} {}{}{}\n", style.bold(score), paint(coverage_bar(result.coverage, bar, unicode)),
                                  paint(band), points_fit ? "  " : "\n", points);
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
            out += fmt::format("  {} {}\n", style.green(tick), terminal_safe(c.label));
            out += style.dim(indented(fmt::format("you said: \"{}\"", terminal_safe(c.matched)), 6));
        }
    }
    auto tip_of = [&](std::string_view label) -> std::string {
        const Concept* c = concept_labelled(question, label);
        return c != nullptr ? terminal_safe(c->tip) : std::string();
    };
    if (!result.missed.empty()) {
        out += "\n" + style.bold("Missed") + "\n";
        for (const MissedConcept& c : result.missed) {
            out += fmt::format("  {} {}\n", style.red(cross), terminal_safe(c.label));
            if (const std::string tip = tip_of(c.label); !tip.empty()) out += indented("Tip: " + tip, 6);
        }
    }
    if (!result.rejected.empty()) {
        out += "\n" + style.bold("Argued against") + style.dim(" (mentioned, but said as not needed or not done: no credit)") +
               "\n";
        for (const RejectedConcept& c : result.rejected) {
            out += fmt::format("  {} {}\n", style.red(cross), terminal_safe(c.label));
            out += style.dim(indented(fmt::format("you said: \"{}\"", terminal_safe(c.matched)), 6));
            if (const std::string tip = tip_of(c.label); !tip.empty())
                out += indented("Why an interviewer wants it: " + tip, 6);
        }
    }
    if (result.term_list) {
        out += "\n" + style.yellow("Reads as a list of terms: say how and why.") +
               style.dim(fmt::format(" Listed points count {:.0f}%.", kTermListCredit * 100.0)) + "\n";
    }
    out += "\n" + style.bold("What a great answer covers") + "\n";
    out += indented(terminal_safe(question.hint), 2);
    if (insights != nullptr) out += render_insights(*insights, style, width, unicode);
    return out;
}

std::string render_change(std::string_view since, double coverage_before, const std::vector<std::string>& covered_before,
                          const CoverageResult& now, const Style& style, std::size_t width, bool unicode) {
    width = std::max<std::size_t>(width, 40);
    auto was_covered = [&](std::string_view label) {
        return std::find(covered_before.begin(), covered_before.end(), label) != covered_before.end();
    };
    std::vector<std::string> gained;
    std::vector<std::string> lost;
    for (const CoveredConcept& c : now.covered)
        if (!was_covered(c.label)) gained.push_back(terminal_safe(c.label));
    // Labels from the history and the bank, shown as text.
    for (const std::string& label : covered_before)
        if (std::none_of(now.covered.begin(), now.covered.end(), [&](const CoveredConcept& c) { return c.label == label; }))
            lost.push_back(terminal_safe(label));
    const long before_percent = std::lround(coverage_before * 100.0);
    const long now_percent = std::lround(now.coverage * 100.0);
    std::string text = fmt::format("Since {}: {}% {} {}%.", since, before_percent, unicode ? "→" : "->", now_percent);
    if (!gained.empty()) text += fmt::format(" Newly covered: {}.", fmt::join(gained, ", "));
    if (!lost.empty()) text += fmt::format(" No longer covered: {}.", fmt::join(lost, ", "));
    if (gained.empty() && lost.empty()) text += " The same points as before.";
    std::string out;
    bool first = true;
    for (const std::string& line : wrap_text(text, width)) {
        const std::string painted = first ? (now_percent > before_percent   ? style.green(line)
                                             : now_percent < before_percent ? style.yellow(line)
                                                                            : line)
                                          : line;
        out += painted + "\n";
        first = false;
    }
    return out;
}

std::string render_insights(const AnswerInsights& insights, const Style& style, std::size_t width, bool unicode) {
    width = std::max<std::size_t>(width, 40);
    auto indented = [&](const std::string& text, std::size_t indent) {
        std::string block;
        for (const std::string& line : wrap_text(text, width - indent)) block += std::string(indent, ' ') + line + "\n";
        return block;
    };
    std::string out = "\n" + style.bold("How you said it") + "\n";
    std::string words = fmt::format("{} word{}", insights.words, insights.words == 1 ? "" : "s");
    if (insights.seconds) {
        words += " in " + format_clock(*insights.seconds);
        if (insights.limit_seconds) words += " of " + format_clock(*insights.limit_seconds);
        if (auto pace = insights.words_per_minute())
            words += fmt::format(" ({:.0f} words a minute)", *pace);
    }
    out += indented(words + ".", 2);
    auto counts = [&](const std::vector<AnswerInsights::Count>& list) {
        std::vector<std::string> parts;
        for (const auto& c : list) parts.push_back(fmt::format("{} {}", terminal_safe(c.text), unicode ? times(c.count) : fmt::format("x{}", c.count)));
        return fmt::format("{}", fmt::join(parts, ", "));
    };
    if (!insights.fillers.empty()) out += indented("Fillers and hedges: " + counts(insights.fillers), 2);
    if (!insights.repeated.empty()) out += indented("Said again and again: " + counts(insights.repeated), 2);
    if (insights.star) {
        const std::string tick = unicode ? "✓" : "+";
        const std::string cross = unicode ? "✗" : "-";
        out += "  " + style.bold("STAR") + "\n";
        for (const auto& part : insights.star->parts) {
            const std::string name = pad_to_width(std::string(star_part_name(part.part)), 9);
            if (part.present()) {
                const std::string quote = truncate_to_width("\"" + terminal_safe(part.sentence) + "\"", width > 20 ? width - 20 : 20, !unicode);
                out += fmt::format("    {} {} {}\n", style.green(tick), name, style.dim(quote));
            } else {
                out += fmt::format("    {} {}\n", style.red(cross), name);
            }
        }
        for (const std::string& suggestion : insights.star->suggestions) out += indented(suggestion, 4);
    }
    return out;
}

nlohmann::ordered_json insights_json(const AnswerInsights& insights) {
    using Json = nlohmann::ordered_json;
    Json out{{"words", insights.words}};
    if (insights.seconds) out["seconds"] = std::round(*insights.seconds * 10.0) / 10.0;
    if (insights.limit_seconds) out["time_limit_seconds"] = *insights.limit_seconds;
    if (auto pace = insights.words_per_minute()) out["words_per_minute"] = std::round(*pace * 10.0) / 10.0;
    auto counts = [](const std::vector<AnswerInsights::Count>& list, const char* key) {
        Json array = Json::array();
        for (const auto& c : list) array.push_back({{key, c.text}, {"count", c.count}});
        return array;
    };
    out["fillers"] = counts(insights.fillers, "text");
    out["repeated"] = counts(insights.repeated, "word");
    if (insights.star) {
        Json star = Json::object();
        for (const auto& part : insights.star->parts) {
            std::string key(star_part_name(part.part));
            key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
            star[key] = part.present() ? Json(part.sentence) : Json(nullptr);
        }
        star["suggestions"] = insights.star->suggestions;
        out["star"] = star;
    }
    return out;
}

std::string coverage_json(const CoverageResult& result, const AnswerInsights* insights) {
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
    if (insights != nullptr) json["insights"] = insights_json(*insights);
    return json.dump(2);
}

}  // namespace ehrprep
