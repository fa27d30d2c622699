#include "ehrprep/scorer.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ehrprep/edit_distance.hpp"
#include "ehrprep/tokenizer.hpp"

namespace ehrprep {
namespace {

// Words may sit between two words of a phrasing ("encrypt all stored data" says "encrypt
// data"), but not so many that unrelated words of a long answer pair up.
constexpr std::uint32_t kMaxGap = 3;

int allowed_edits(std::size_t letters) {
    if (letters >= 9) return 2;
    if (letters >= 5) return 1;
    return 0;
}

bool typo_tolerant(const Token& token) {
    return !token.all_caps && !token.has_digit && allowed_edits(token.folded.size()) > 0;
}

// Hash of `word` with the letters at `skip1` and `skip2` left out (npos for none): the
// deletion neighbourhood of a word, hashed so that indexing it allocates nothing.
std::uint64_t hash_without(std::string_view word, std::size_t skip1, std::size_t skip2) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (i == skip1 || i == skip2) continue;
        hash = (hash ^ static_cast<unsigned char>(word[i])) * 1099511628211ULL;
    }
    return hash;
}

// Two words within `depth` edits share at least one string reachable by deleting up to
// `depth` letters from each, so these hashes find every candidate typo.
void deletion_hashes(std::string_view word, int depth, std::vector<std::uint64_t>& out) {
    constexpr auto none = std::string_view::npos;
    out.push_back(hash_without(word, none, none));
    if (depth < 1) return;
    for (std::size_t i = 0; i < word.size(); ++i) out.push_back(hash_without(word, i, none));
    if (depth < 2) return;
    for (std::size_t i = 0; i < word.size(); ++i)
        for (std::size_t j = i + 1; j < word.size(); ++j) out.push_back(hash_without(word, i, j));
}

// Names keep their spelling: stemming "RESTful" to "rest" would let "the rest of" say it. Only
// a plural "s" goes ("APIs", "EHRs").
std::string name_key(const std::string& folded) {
    if (folded.size() > 3 && folded.back() == 's' && folded[folded.size() - 2] != 's')
        return folded.substr(0, folded.size() - 1);
    return folded;
}

struct MeaningfulWord {
    const Token* token;
    std::string stem;
};

}  // namespace

Band band_for(double coverage) {
    if (coverage >= kStrongCoverage) return Band::Strong;
    if (coverage >= kPartialCoverage) return Band::Partial;
    return Band::NeedsWork;
}

std::string_view band_name(Band band) {
    switch (band) {
        case Band::Strong: return "strong";
        case Band::Partial: return "partial";
        case Band::NeedsWork: break;
    }
    return "needs work";
}

std::uint32_t Scorer::intern(const std::string& key) {
    auto [it, inserted] = term_ids_.try_emplace(key, static_cast<std::uint32_t>(terms_.size()));
    if (inserted) {
        terms_.push_back(key);
        term_starts_.insert(key.substr(0, 3));
    }
    return it->second;
}

void Scorer::index_typo_forms(const std::string& raw, const std::string& stem, std::uint32_t term) {
    for (const std::string* form : {&raw, &stem}) {
        if (form == &stem && stem == raw) break;
        // A stem is shorter than its word; it earns edits by its own length.
        const int edits = allowed_edits(form->size());
        if (edits == 0) continue;
        // Phrasings repeat words; each form needs indexing once.
        if (!indexed_forms_.insert(*form).second) continue;
        auto form_index = static_cast<std::uint32_t>(typo_forms_.size());
        typo_forms_.push_back({*form, term, edits});
        std::vector<std::uint64_t> hashes;
        deletion_hashes(*form, edits, hashes);
        for (std::uint64_t hash : hashes) deletion_index_.emplace_back(hash, form_index);
    }
}

// A phrasing word written with capitals is a name or an acronym and matches as written;
// any other word matches by stem.
std::string Scorer::key_of(const Token& word) {
    return word.has_upper ? name_key(word.folded) : stemmer_.stem(word.folded);
}

Result<Scorer, BankProblems> Scorer::compile(const QuestionBank& bank, std::string_view source) {
    Scorer scorer;
    BankProblems problems;
    for (const Question& question : bank.questions()) {
        CompiledQuestion compiled{question.id, {}, 0.0};
        for (const Concept& concept_entry : question.concepts) {
            CompiledConcept out{concept_entry.label, concept_entry.weight, {}};
            for (const std::string& text : concept_entry.phrasings) {
                std::vector<Token> all = tokenize(text);
                std::vector<Token> words;
                for (const Token& token : all)
                    if (!is_stop_word(token.folded)) words.push_back(token);
                Phrasing phrasing;
                if (words.size() < 2 && all.size() >= 2) {
                    phrasing.literal = true;
                    words = std::move(all);
                }
                if (words.empty()) {
                    problems.lines.push_back(fmt::format(
                        "{}: question '{}', concept '{}': phrasing \"{}\" has no word to match", source,
                        question.id, concept_entry.label, text));
                    continue;
                }
                for (const Token& word : words) {
                    const std::string key = scorer.key_of(word);
                    std::uint32_t term = scorer.intern(key);
                    if (is_stop_word(word.folded)) {
                        phrasing.terms.push_back(term);  // matched exactly, never as a typo or a join
                        continue;
                    }
                    for (std::size_t length = 3; length <= key.size(); ++length)
                        scorer.word_prefixes_.insert(key.substr(0, length));
                    if (typo_tolerant(word)) scorer.index_typo_forms(word.folded, key, term);
                    phrasing.terms.push_back(term);
                }
                out.phrasings.push_back(phrasing);
                if (phrasing.literal) continue;
                // "de-identification", "de identification" and "deidentification" are one word
                // to a reader: also accept each neighbouring pair, and the whole, written as one.
                auto joined_variant = [&](std::size_t from, std::size_t to) {
                    Token joined;
                    for (std::size_t k = from; k < to; ++k) {
                        joined.folded += words[k].folded;
                        joined.has_upper = joined.has_upper || words[k].has_upper;
                    }
                    Phrasing variant;
                    for (std::size_t k = 0; k < from; ++k) variant.terms.push_back(phrasing.terms[k]);
                    variant.terms.push_back(scorer.intern(scorer.key_of(joined)));
                    for (std::size_t k = to; k < words.size(); ++k) variant.terms.push_back(phrasing.terms[k]);
                    out.phrasings.push_back(std::move(variant));
                };
                for (std::size_t k = 0; k + 1 < words.size(); ++k) joined_variant(k, k + 2);
                if (words.size() > 2) joined_variant(0, words.size());
            }
            compiled.total_weight += out.weight;
            compiled.concepts.push_back(std::move(out));
        }
        scorer.questions_.push_back(std::move(compiled));
    }
    if (!problems.lines.empty()) return problems;
    std::sort(scorer.deletion_index_.begin(), scorer.deletion_index_.end());
    scorer.deletion_index_.erase(std::unique(scorer.deletion_index_.begin(), scorer.deletion_index_.end()),
                                 scorer.deletion_index_.end());
    scorer.indexed_forms_.clear();
    return scorer;
}

void Scorer::add_typo_matches(const std::string& raw, const std::string& stem, std::uint32_t position,
                              std::vector<AnalyzedAnswer::Occurrence>& out) const {
    const std::size_t first = out.size();
    const int depth = raw.size() >= 8 ? 2 : 1;
    std::vector<std::uint64_t> hashes;
    for (const std::string* form : {&raw, &stem}) {
        if (form == &stem && stem == raw) break;
        hashes.clear();
        deletion_hashes(*form, depth, hashes);
        for (std::uint64_t hash : hashes) {
            auto hit = std::equal_range(deletion_index_.begin(), deletion_index_.end(), std::pair{hash, std::uint32_t{0}},
                                        [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto it = hit.first; it != hit.second; ++it) {
                const TypoForm& candidate = typo_forms_[it->second];
                bool seen = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                                        [&](const auto& o) { return o.term == candidate.term; });
                if (!seen && bounded_edit_distance(*form, candidate.text, candidate.max_edits) <= candidate.max_edits)
                    out.push_back({candidate.term, position, 1});
            }
        }
    }
}

AnalyzedAnswer Scorer::analyze(std::string_view answer) {
    AnalyzedAnswer out;
    out.text = repair_utf8(answer).text;
    const std::vector<Token> tokens = tokenize(out.text);
    std::vector<MeaningfulWord> words;
    std::vector<std::uint32_t> positions;  // of each meaningful word among all the words
    std::unordered_map<std::string, std::string> stems;  // answers repeat words; stem each once
    out.meaningful_before.reserve(tokens.size() + 1);
    std::uint32_t meaningful = 0;
    for (std::uint32_t pos = 0; pos < tokens.size(); ++pos) {
        const Token& token = tokens[pos];
        out.word_spans.emplace_back(token.begin, token.end);
        out.meaningful_before.push_back(meaningful);
        if (is_stop_word(token.folded)) {
            // Small words only ever match a literal phrasing's small words, exactly.
            if (auto hit = term_ids_.find(token.folded); hit != term_ids_.end())
                out.occurrences.push_back({hit->second, pos, 1});
            continue;
        }
        ++meaningful;
        auto [it, inserted] = stems.try_emplace(token.folded);
        if (inserted) {
            // A stem keeps its word's first letters: a word whose start begins no term cannot
            // stem to one, and is left for the typo check as typed.
            const bool could_match = token.folded.size() < 3 || term_starts_.count(token.folded.substr(0, 3)) != 0;
            it->second = could_match ? stemmer_.stem(token.folded) : token.folded;
        }
        words.push_back({&token, it->second});
        positions.push_back(pos);
    }
    out.meaningful_before.push_back(meaningful);
    for (std::uint32_t k = 0; k < words.size(); ++k) {
        const MeaningfulWord& word = words[k];
        const std::uint32_t pos = positions[k];
        auto by_stem = term_ids_.find(word.stem);
        auto by_name = term_ids_.find(name_key(word.token->folded));
        if (by_stem != term_ids_.end()) out.occurrences.push_back({by_stem->second, pos, 1});
        if (by_name != term_ids_.end() && by_name != by_stem) out.occurrences.push_back({by_name->second, pos, 1});
        if (by_stem == term_ids_.end() && by_name == term_ids_.end() && !word.token->has_digit &&
            word.token->folded.size() >= 4) {
            add_typo_matches(word.token->folded, word.stem, pos, out.occurrences);
        }
        if (k + 1 < words.size()) {
            std::string joined = word.token->folded + words[k + 1].token->folded;
            const std::uint32_t span = positions[k + 1] - pos + 1;
            // Two typed words need joining only to meet a phrasing's single word ("de identify"
            // for "deidentify"); phrasings written apart already match them apart. Stemming
            // every pair would cost more than the rest of the analysis, and a stem keeps its
            // word's start, so only a pair that begins such a word is stemmed.
            const std::size_t probe = word.token->folded.size() + std::min<std::size_t>(2, words[k + 1].token->folded.size());
            if (word_prefixes_.count(joined.substr(0, probe)) != 0) {
                auto by_stem = term_ids_.find(stemmer_.stem(joined));
                auto by_name = term_ids_.find(name_key(joined));
                if (by_stem != term_ids_.end()) out.occurrences.push_back({by_stem->second, pos, span});
                if (by_name != term_ids_.end() && by_name != by_stem) out.occurrences.push_back({by_name->second, pos, span});
            }
        }
    }
    std::sort(out.occurrences.begin(), out.occurrences.end(), [](const auto& a, const auto& b) {
        return a.term != b.term ? a.term < b.term : a.position < b.position;
    });
    return out;
}

bool Scorer::match_phrasing(const AnalyzedAnswer& answer, const Phrasing& phrasing, std::uint32_t& first,
                            std::uint32_t& last) const {
    using Occurrence = AnalyzedAnswer::Occurrence;
    auto occurrences_of = [&](std::uint32_t term) {
        auto lower = std::lower_bound(answer.occurrences.begin(), answer.occurrences.end(), term,
                                      [](const Occurrence& o, std::uint32_t t) { return o.term < t; });
        auto upper = std::find_if(lower, answer.occurrences.end(), [&](const Occurrence& o) { return o.term != term; });
        return std::pair{lower, upper};
    };
    auto [start, start_end] = occurrences_of(phrasing.terms.front());
    for (; start != start_end; ++start) {
        std::uint32_t cursor = start->position + start->length;
        bool matched = true;
        for (std::size_t k = 1; k < phrasing.terms.size() && matched; ++k) {
            auto [it, end] = occurrences_of(phrasing.terms[k]);
            // The earliest occurrence after the cursor leaves the most room for the words after it.
            it = std::find_if(it, end, [&](const Occurrence& o) { return o.position >= cursor; });
            if (phrasing.literal) {
                matched = it != end && it->position == cursor;
            } else {
                matched = it != end && answer.meaningful_before[it->position] - answer.meaningful_before[cursor] <= kMaxGap;
            }
            if (matched) cursor = it->position + it->length;
        }
        if (matched) {
            first = start->position;
            last = cursor - 1;
            return true;
        }
    }
    return false;
}

CoverageResult Scorer::score(const AnalyzedAnswer& answer, std::size_t question_index) const {
    const CompiledQuestion& question = questions_.at(question_index);
    CoverageResult result;
    result.question_id = question.id;
    double covered_weight = 0.0;
    for (const CompiledConcept& concept_entry : question.concepts) {
        // The longest phrasing that matches quotes the most telling evidence back.
        const Phrasing* best = nullptr;
        std::uint32_t best_first = 0;
        std::uint32_t best_last = 0;
        for (const Phrasing& phrasing : concept_entry.phrasings) {
            std::uint32_t first = 0;
            std::uint32_t last = 0;
            if ((best == nullptr || phrasing.terms.size() > best->terms.size()) &&
                match_phrasing(answer, phrasing, first, last)) {
                best = &phrasing;
                best_first = first;
                best_last = last;
            }
        }
        if (best == nullptr) {
            result.missed.push_back({concept_entry.label, concept_entry.weight});
            continue;
        }
        covered_weight += concept_entry.weight;
        const std::size_t begin = answer.word_spans[best_first].first;
        const std::size_t end = answer.word_spans[best_last].second;
        result.covered.push_back({concept_entry.label, concept_entry.weight, answer.text.substr(begin, end - begin)});
    }
    result.coverage = question.total_weight > 0.0 ? covered_weight / question.total_weight : 0.0;
    result.band = band_for(result.coverage);
    return result;
}

CoverageResult Scorer::score(std::string_view answer, std::size_t question_index) {
    return score(analyze(answer), question_index);
}

}  // namespace ehrprep
