#include "ehrprep/insights.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>

#include "ehrprep/stemmer.hpp"
#include "ehrprep/tokenizer.hpp"

namespace ehrprep {
namespace {

using Phrase = std::initializer_list<std::string_view>;

struct Pattern {
    std::string_view shown;
    Phrase words;
};

// Fillers pad an answer; hedges weaken it. Both are counted together, as interview coaches do.
const Pattern kFillers[] = {
    {"um", {"um"}},           {"uh", {"uh"}},
    {"erm", {"erm"}},         {"basically", {"basically"}},
    {"literally", {"literally"}}, {"actually", {"actually"}},
    {"you know", {"you", "know"}}, {"I mean", {"i", "mean"}},
    {"so yeah", {"so", "yeah"}}, {"and stuff", {"and", "stuff"}},
    {"or whatever", {"or", "whatever"}}, {"I guess", {"i", "guess"}},
    {"I think", {"i", "think"}}, {"I suppose", {"i", "suppose"}},
    {"I feel like", {"i", "feel", "like"}}, {"kind of", {"kind", "of"}},
    {"sort of", {"sort", "of"}}, {"maybe", {"maybe"}},
    {"probably", {"probably"}}, {"hopefully", {"hopefully"}},
    {"more or less", {"more", "or", "less"}}, {"not sure", {"not", "sure"}},
};

// Words before "like" that make it a filler ("it was like, ..."), not a comparison ("tools like Epic").
constexpr std::string_view kBeforeFillerLike[] = {"was", "were", "and", "just", "um", "uh", "so", "is"};

// What opens a story, states the task, and reports its result.
const Phrase kSituation[] = {
    {"at", "my"},         {"in", "my", "previous"}, {"in", "my", "last"},  {"in", "my", "first"},  {"when", "i", "was"},
    {"when", "we", "were"}, {"years", "ago"},       {"months", "ago"},      {"last", "year"},       {"there", "was"},
    {"there", "were"},    {"we", "had"},           {"we", "were"},         {"our", "team"},        {"our", "hospital"},
    {"back", "in"},       {"at", "the", "time"},   {"during", "a"},        {"during", "the"},      {"i", "was", "working"},
    {"i", "worked", "at"}, {"i", "was", "the"},    {"i", "was", "leading"}, {"i", "was", "on"},    {"we", "rolled"},
    {"we", "were", "rolling"}, {"had", "just"},    {"a", "few", "years"},  {"one", "of", "our"},   {"at", "a"},
};
const Phrase kTask[] = {
    {"my", "job"},       {"my", "role"},      {"my", "task"},         {"i", "was", "responsible"}, {"responsible", "for"},
    {"i", "was", "asked"}, {"asked", "me"},   {"i", "needed", "to"},  {"i", "had", "to"},         {"we", "needed", "to"},
    {"we", "had", "to"}, {"the", "goal"},     {"my", "goal"},         {"our", "goal"},            {"i", "was", "tasked"},
    {"the", "challenge"}, {"the", "problem", "was"}, {"it", "was", "my"}, {"i", "owned"},         {"had", "to", "decide"},
    {"my", "responsibility"}, {"i", "was", "brought"}, {"i", "had", "been", "asked"}, {"needed", "to", "get"},
};
const Phrase kResultPhrases[] = {
    {"as", "a", "result"}, {"in", "the", "end"}, {"ended", "up"}, {"led", "to"}, {"since", "then"}, {"afterwards"},
    {"the", "outcome"},    {"the", "result"},    {"went", "live"}, {"by", "the", "end"}, {"never", "happened", "again"},
    {"adoption"},          {"adopted"},          {"signed", "off"}, {"we", "saw"},  {"that", "meant"},
};
// Changes a result reports; with a number they are a measured result.
constexpr std::string_view kChanges[] = {"reduced", "increased", "improved", "dropped", "fell", "rose", "cut",
                                         "saved",   "from",      "went",     "percent", "points", "doubled", "halved",
                                         "down",    "up",        "fewer",    "more",    "less",   "faster"};
// Past tenses that are not "-ed": a first person before one is an action taken.
constexpr std::string_view kIrregularPast[] = {
    "built", "ran",  "wrote", "met",  "led",   "set",   "made",  "took",   "gave",   "went",  "sent",   "sat",
    "spoke", "brought", "chose", "found", "held", "kept", "put",  "told",   "taught", "drew",  "began",  "did",
    "got",   "shipped", "paired", "rebuilt", "rewrote", "split", "shut", "sought", "thought", "understood", "spent"};

bool starts_with(const std::vector<Token>& tokens, std::size_t at, Phrase phrase) {
    if (at + phrase.size() > tokens.size()) return false;
    std::size_t k = at;
    for (std::string_view w : phrase) {
        if (k > at && tokens[k].boundary >= Boundary::Clause) return false;
        if (tokens[k++].folded != w) return false;
    }
    return true;
}

template <typename Range>
bool contains(const Range& words, std::string_view w) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

bool is_past_tense(const std::string& w) {
    if (contains(kIrregularPast, w)) return true;
    return w.size() >= 5 && w.ends_with("ed") && w != "needed" && w != "wanted";
}

struct Sentence {
    std::size_t first = 0;  // token range
    std::size_t end = 0;
};

}  // namespace

std::optional<double> AnswerInsights::words_per_minute() const {
    // Below a few seconds the answer was pasted, not typed: a pace would mean nothing.
    constexpr double kShortestTyping = 10.0;
    if (!seconds || *seconds < kShortestTyping) return std::nullopt;
    return static_cast<double>(words) * 60.0 / *seconds;
}

std::string_view star_part_name(AnswerInsights::StarPart part) {
    switch (part) {
        case AnswerInsights::StarPart::Situation: return "Situation";
        case AnswerInsights::StarPart::Task: return "Task";
        case AnswerInsights::StarPart::Action: return "Action";
        case AnswerInsights::StarPart::Result: break;
    }
    return "Result";
}

bool is_story_tier(std::string_view tier_id) {
    std::string lower(tier_id);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.starts_with("behavio");
}

AnswerInsights analyze_insights(std::string_view answer, const InsightRequest& request) {
    const std::string text = repair_utf8(answer).text;
    const std::vector<Token> tokens = tokenize(text);
    AnswerInsights out;
    out.words = tokens.size();
    out.seconds = request.seconds;
    out.limit_seconds = request.limit_seconds;

    std::map<std::string_view, std::size_t> filler_counts;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        for (const Pattern& p : kFillers)
            if (starts_with(tokens, k, p.words)) ++filler_counts[p.shown];
        if (tokens[k].folded == "like") {
            const bool set_off = tokens[k].boundary >= Boundary::Comma ||
                                 (k + 1 < tokens.size() && tokens[k + 1].boundary >= Boundary::Comma);
            if (set_off || (k > 0 && contains(kBeforeFillerLike, tokens[k - 1].folded))) ++filler_counts["like"];
        }
    }
    for (const auto& [shown, count] : filler_counts) out.fillers.push_back({std::string(shown), count});

    // Content words by stem; an answer needs its key terms a few times, not a dozen.
    Stemmer stemmer;
    std::map<std::string, std::pair<std::size_t, std::string>> by_stem;  // stem -> (count, first form)
    for (const Token& token : tokens) {
        if (token.folded.size() < 4 || is_stop_word(token.folded) || token.has_digit) continue;
        bool filler = false;
        for (const Pattern& p : kFillers)
            if (p.words.size() == 1 && *p.words.begin() == token.folded) filler = true;
        if (filler) continue;
        auto& entry = by_stem[stemmer.stem(token.folded)];
        if (entry.first++ == 0) entry.second = text.substr(token.begin, token.end - token.begin);
    }
    const std::size_t threshold = std::max<std::size_t>(4, tokens.size() / 30);
    for (const auto& [stem, entry] : by_stem)
        if (entry.first >= threshold) out.repeated.push_back({entry.second, entry.first});
    auto most_first = [](const AnswerInsights::Count& a, const AnswerInsights::Count& b) { return a.count > b.count; };
    std::stable_sort(out.fillers.begin(), out.fillers.end(), most_first);
    std::stable_sort(out.repeated.begin(), out.repeated.end(), most_first);

    if (!request.story) return out;
    std::vector<Sentence> sentences;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (k == 0 || tokens[k].boundary == Boundary::Sentence) sentences.push_back({k, k});
        sentences.back().end = k + 1;
    }
    // A sentence runs to its last word and whatever sticks to it ("30%", "done)"), not the full stop.
    auto sentence_text = [&](const Sentence& s) {
        std::size_t end = tokens[s.end - 1].end;
        while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '.' && text[end] != '!' &&
               text[end] != '?' && text[end] != ';' && text[end] != ',')
            ++end;
        return text.substr(tokens[s.first].begin, end - tokens[s.first].begin);
    };
    auto has_phrase = [&](const Sentence& s, const auto& phrases) {
        for (std::size_t k = s.first; k < s.end; ++k)
            for (const Phrase& p : phrases)
                if (starts_with(tokens, k, p)) return true;
        return false;
    };
    auto has_action = [&](const Sentence& s) {
        for (std::size_t k = s.first; k < s.end; ++k) {
            if (tokens[k].folded != "i" && tokens[k].folded != "we") continue;
            for (std::size_t j = k + 1; j < std::min(s.end, k + 4); ++j)
                if (is_past_tense(tokens[j].folded)) return true;
        }
        return false;
    };
    auto has_result = [&](const Sentence& s) {
        if (has_phrase(s, kResultPhrases)) return true;
        bool number = false;
        bool change = false;
        for (std::size_t k = s.first; k < s.end; ++k) {
            number = number || tokens[k].has_digit;
            change = change || contains(kChanges, tokens[k].folded);
        }
        const std::string whole = sentence_text(s);
        return (number || whole.find('%') != std::string::npos) && change;
    };

    AnswerInsights::Star star;
    using Part = AnswerInsights::StarPart;
    for (std::size_t p = 0; p < 4; ++p) star.parts[p].part = static_cast<Part>(p);
    for (const Sentence& s : sentences) {
        if (star.parts[0].sentence.empty() && has_phrase(s, kSituation)) star.parts[0].sentence = sentence_text(s);
        if (star.parts[1].sentence.empty() && has_phrase(s, kTask)) star.parts[1].sentence = sentence_text(s);
        if (star.parts[2].sentence.empty() && has_action(s)) star.parts[2].sentence = sentence_text(s);
        if (has_result(s)) star.parts[3].sentence = sentence_text(s);  // the last one says how it ended
    }
    if (!star.parts[0].present())
        star.suggestions.emplace_back("No Situation: open with where you were and what was at stake, in a sentence or two.");
    if (!star.parts[1].present())
        star.suggestions.emplace_back("No Task: say what you were responsible for, or asked to achieve.");
    if (!star.parts[2].present())
        star.suggestions.emplace_back("No Action: walk through what you did, step by step.");
    if (!star.parts[3].present())
        star.suggestions.emplace_back("No Result: say what changed, with a number if you can.");
    const auto we = static_cast<std::size_t>(std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.folded == "we"; }));
    const bool any_i = std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.folded == "i"; });
    if (we >= 3 && !any_i)
        star.suggestions.push_back("Say what you did yourself: the story says \"we\" " + std::to_string(we) +
                                   " times and \"I\" never.");
    out.star = std::move(star);
    return out;
}

}  // namespace ehrprep
