#include "ehrprep/scorer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

#include <fmt/format.h>

#include "ehrprep/edit_distance.hpp"
#include "ehrprep/term_list.hpp"
#include "ehrprep/tokenizer.hpp"
#include "ehrprep/word_list.hpp"

namespace ehrprep {
namespace {

// The word nearest to words [first, last], within their sentence, that negates or finds fault.
std::optional<std::uint32_t> nearest_fault(const ClauseMarks& marks, std::uint32_t first, std::uint32_t last) {
    const std::uint32_t sentence = marks.sentence[first];
    std::optional<std::uint32_t> before;
    for (std::uint32_t k = first; k > 0 && marks.sentence[k - 1] == sentence && !before; --k)
        if (marks.finds_fault[k - 1]) before = k - 1;
    for (std::uint32_t k = last + 1; k < marks.sentence.size() && marks.sentence[k] == sentence; ++k)
        if (marks.finds_fault[k]) return !before || k - last < first - *before ? k : *before;
    return before;
}

// Words may sit between two words of a phrasing ("encrypt all stored data" says "encrypt
// data"), but not so many that unrelated words of a long answer pair up.
constexpr std::uint32_t kMaxGap = 3;
// Phrasings longer than this many words are rare; for them a cue anywhere inside the match is
// taken as part of the phrasing.
constexpr std::size_t kMaxTrackedTerms = 12;

// No word is this long; a longer "word" is pasted noise, and indexing its deletions would cost
// the cube of its length.
constexpr std::size_t kMaxTypoLetters = 24;

int allowed_edits(std::size_t letters) {
    if (letters > kMaxTypoLetters) return 0;
    if (letters >= 9) return 2;
    if (letters >= 5) return 1;
    return 0;
}

// Names and acronyms match as written: "Slack" is not a slip for "lacks", nor "Trainer" for
// "trained".
bool typo_tolerant(const Token& token) {
    return !token.has_upper && !token.has_digit && allowed_edits(token.folded.size()) > 0;
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

// Words too common to be evidence of any particular point on their own: a phrasing that is
// just one of these says nothing specific ("privacy", "feedback", "listening", "confident").
constexpr std::string_view kCommonWords[] = {
    "ai",         "ml",          "api",        "data",        "information", "info",        "model",
    "system",     "tool",        "process",    "approach",    "solution",    "team",        "people",
    "staff",      "user",        "stakeholder", "patient",    "clinician",   "doctor",      "physician",
    "nurse",      "provider",    "care",       "clinical",    "health",      "healthcare",  "medical",
    "hospital",   "feedback",    "review",     "privacy",     "security",    "secure",      "safety",
    "safe",       "quality",     "goal",       "listen",      "listening",   "respect",     "trust",
    "communicate", "communication", "confident", "confidence", "paper",     "performance", "accuracy",
    "accurate",   "result",      "test",       "testing",     "evaluate",    "evaluation",  "monitor",
    "monitoring", "improve",     "improvement", "work",       "plan",        "analysis",    "analyze",
    "check",      "risk",        "issue",      "problem",     "support",     "help",        "change",
    "update",     "good",        "better",     "best",        "important",   "impact",      "value",
    "use",        "build",       "make",       "ensure",      "standard",    "record",      "note",
    "time",       "step",        "thing",      "way",         "project",     "priority",    "concern",
    "understand", "understanding", "learn",    "learning",    "new",         "technology",  "software",
    "platform",   "pipeline",    "validate",   "validation",  "metric",      "documentation", "training",
    "compliance", "concept",     "search",     "fields",      "discrete",    "label",       "labels"};

// Polarity after the concept's own sense: for a point about avoiding something, a negated
// mention says it.
Polarity effective(Polarity polarity, bool avoids) {
    return avoids && polarity == Polarity::Negated ? Polarity::Affirmed : polarity;
}

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

Scorer::Scorer(const QuestionBank& bank, std::string source)
    : bank_(&bank), source_(std::move(source)), questions_(bank.questions().size()) {}

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

Result<Scorer::Variants, std::string> Scorer::compile_phrasing(std::string_view text) {
    std::vector<Token> all = tokenize(text);
    std::vector<Token> words;
    for (const Token& token : all)
        if (!is_stop_word(token.folded)) words.push_back(token);
    Phrasing phrasing;
    if (words.size() < 2 && all.size() >= 2) {
        phrasing.literal = true;
        words = std::move(all);
    }
    if (words.empty()) return std::string("has no word to match");
    if (words.size() == 1 && !words.front().has_digit) {
        if (common_stems_.empty())
            for (std::string_view common : kCommonWords) {
                common_stems_.insert(std::string(common));
                common_stems_.insert(stemmer_.stem(common));
            }
        if (common_stems_.count(words.front().folded) != 0 || common_stems_.count(stemmer_.stem(words.front().folded)) != 0)
            return std::string("is a single common word, which is never evidence on its own: add a second word, "
                               "or put it in a cue with a specific one");
    }
    for (const Token& word : words) {
        const std::string key = key_of(word);
        std::uint32_t term = intern(key);
        if (is_stop_word(word.folded)) {
            phrasing.terms.push_back(term);  // matched exactly, never as a typo or a join
            continue;
        }
        for (std::size_t length = 3; length <= std::min(key.size(), kMaxTypoLetters); ++length)
            word_prefixes_.insert(key.substr(0, length));
        if (typo_tolerant(word)) index_typo_forms(word.folded, key, term);
        phrasing.terms.push_back(term);
    }
    Variants variants{phrasing};
    if (phrasing.literal) return variants;
    // "de-identification", "de identification" and "deidentification" are one word to a
    // reader: also accept each neighbouring pair, and the whole, written as one.
    auto joined_variant = [&](std::size_t from, std::size_t to) {
        Token joined;
        for (std::size_t k = from; k < to; ++k) {
            joined.folded += words[k].folded;
            joined.has_upper = joined.has_upper || words[k].has_upper;
        }
        Phrasing variant;
        for (std::size_t k = 0; k < from; ++k) variant.terms.push_back(phrasing.terms[k]);
        variant.terms.push_back(intern(key_of(joined)));
        for (std::size_t k = to; k < words.size(); ++k) variant.terms.push_back(phrasing.terms[k]);
        variants.push_back(std::move(variant));
    };
    for (std::size_t k = 0; k + 1 < words.size(); ++k) joined_variant(k, k + 2);
    if (words.size() > 2) joined_variant(0, words.size());
    return variants;
}

Scorer::CompiledQuestion Scorer::compile_question(const Question& question, BankProblems& problems) {
    CompiledQuestion compiled;
    const std::size_t first_form = typo_forms_.size();
    const std::size_t first_hash = deletion_index_.size();
    for (const Concept& concept_entry : question.concepts) {
        CompiledConcept out{concept_entry.label, concept_entry.weight, concept_entry.avoids, {}, {}};
        auto report = [&](std::string_view what, std::string_view text, std::string_view error) {
            problems.lines.push_back(fmt::format("{}: question '{}', concept '{}': {} \"{}\" {}", source_, question.id,
                                                 concept_entry.label, what, text, error));
        };
        for (const std::string& text : concept_entry.phrasings) {
            auto variants = compile_phrasing(text);
            if (!variants) {
                report("phrasing", text, variants.error());
                continue;
            }
            for (Phrasing& p : variants.value()) out.phrasings.push_back(std::move(p));
        }
        for (const Cue& cue : concept_entry.cues) {
            CompiledCue compiled_cue;
            compiled_cue.within = cue.within;
            std::size_t entries = 0;
            for (const std::vector<std::string>& set : cue.sets) {
                std::vector<Variants>& compiled_set = compiled_cue.sets.emplace_back();
                for (const std::string& text : set) {
                    // A cue entry may be a common word: the cue's other words make it specific.
                    std::vector<Token> tokens = tokenize(text);
                    const bool one_word = tokens.size() == 1;
                    auto variants = one_word ? Result<Variants, std::string>(Variants{Phrasing{
                                                   {intern(key_of(tokens.front()))}, is_stop_word(tokens.front().folded)}})
                                             : compile_phrasing(text);
                    if (!variants) {
                        report("cue entry", text, variants.error());
                        continue;
                    }
                    if (one_word && !is_stop_word(tokens.front().folded) && typo_tolerant(tokens.front()))
                        index_typo_forms(tokens.front().folded, terms_[variants->front().terms.front()],
                                         variants->front().terms.front());
                    compiled_set.push_back(std::move(variants.value()));
                    ++entries;
                }
            }
            compiled_cue.at_least = std::max(cue.at_least, compiled_cue.sets.size());
            if (entries >= compiled_cue.at_least) out.cues.push_back(std::move(compiled_cue));
        }
        compiled.total_weight += out.weight;
        compiled.concepts.push_back(std::move(out));
    }
    // The typo index is sorted before the next analysis, once however many questions joined it.
    if (typo_forms_.size() > first_form || deletion_index_.size() > first_hash) index_sorted_ = false;
    compiled.vocabulary_size = terms_.size();
    return compiled;
}

Result<void, BankProblems> Scorer::prepare(std::size_t question_index) {
    if (questions_.at(question_index)) return {};
    // What compiles is kept even when something does not, so the rest of the question scores.
    BankProblems problems;
    questions_[question_index] = compile_question(bank_->questions().at(question_index), problems);
    if (!problems.lines.empty()) return problems;
    return {};
}

void Scorer::prepare_all() {
    for (std::size_t i = 0; i < questions_.size(); ++i) (void)prepare(i);
}

Result<void, BankProblems> Scorer::check(const QuestionBank& bank, std::string_view source) {
    Scorer scorer(bank, std::string(source));
    BankProblems problems;
    for (std::size_t i = 0; i < bank.questions().size(); ++i) {
        if (auto prepared = scorer.prepare(i); !prepared)
            problems.lines.insert(problems.lines.end(), prepared.error().lines.begin(), prepared.error().lines.end());
    }
    if (!problems.lines.empty()) return problems;
    return {};
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
                // A typo keeps its first letter: "training" is not a slip for "retraining".
                if (!seen && form->front() == candidate.text.front() &&
                    bounded_edit_distance(*form, candidate.text, candidate.max_edits) <= candidate.max_edits)
                    out.push_back({candidate.term, position, 1});
            }
        }
    }
}

AnalyzedAnswer Scorer::analyze(std::string_view answer) {
    if (!index_sorted_) {
        std::sort(deletion_index_.begin(), deletion_index_.end());
        deletion_index_.erase(std::unique(deletion_index_.begin(), deletion_index_.end()), deletion_index_.end());
        index_sorted_ = true;
    }
    AnalyzedAnswer out;
    out.text = repair_utf8(answer).text;
    out.vocabulary_size = terms_.size();
    const std::vector<Token> tokens = tokenize(out.text);
    out.clauses = mark_negation(tokens);
    out.term_list = reads_as_term_list(tokens);
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
        // A word spelled right is not a slip for a similar one: "content" is not "consent".
        if (by_stem == term_ids_.end() && by_name == term_ids_.end() && !word.token->has_digit &&
            word.token->folded.size() >= 4 && word.token->folded.size() <= kMaxTypoLetters &&
            !is_english_word(word.token->folded)) {
            add_typo_matches(word.token->folded, word.stem, pos, out.occurrences);
        }
        // Two words join into one only within a phrase: never across a comma or a sentence.
        if (k + 1 < words.size() && words[k + 1].token->boundary == Boundary::None &&
            word.token->folded.size() + words[k + 1].token->folded.size() <= 2 * kMaxTypoLetters) {
            std::string joined = word.token->folded + words[k + 1].token->folded;
            const std::uint32_t span = positions[k + 1] - pos + 1;
            // Two typed words need joining only to meet a phrasing's single word ("de identify"
            // for "deidentify"); phrasings written apart already match them apart. Stemming
            // every pair would cost more than the rest of the analysis, and a stem keeps its
            // word's start, so only a pair that begins such a word is stemmed.
            const std::size_t probe = word.token->folded.size() + std::min<std::size_t>(2, words[k + 1].token->folded.size());
            if (word_prefixes_.count(joined.substr(0, probe)) != 0) {
                auto joined_stem = term_ids_.find(stemmer_.stem(joined));
                auto joined_name = term_ids_.find(name_key(joined));
                if (joined_stem != term_ids_.end()) out.occurrences.push_back({joined_stem->second, pos, span});
                if (joined_name != term_ids_.end() && joined_name != joined_stem)
                    out.occurrences.push_back({joined_name->second, pos, span});
            }
        }
    }
    std::sort(out.occurrences.begin(), out.occurrences.end(), [](const auto& a, const auto& b) {
        return a.term != b.term ? a.term < b.term : a.position < b.position;
    });
    return out;
}

template <typename Visit>
void Scorer::each_match(const AnalyzedAnswer& answer, const Phrasing& phrasing, bool avoids, Visit&& visit) const {
    using Occurrence = AnalyzedAnswer::Occurrence;
    auto occurrences_of = [&](std::uint32_t term) {
        return std::equal_range(answer.occurrences.begin(), answer.occurrences.end(), Occurrence{term, 0, 0},
                                [](const Occurrence& a, const Occurrence& b) { return a.term < b.term; });
    };
    const auto& marks = answer.clauses;
    auto [start, start_end] = occurrences_of(phrasing.terms.front());
    for (; start != start_end; ++start) {
        const std::uint32_t sentence = marks.sentence[start->position];
        std::uint32_t cursor = start->position + start->length;
        Polarity polarity = marks.polarity[start->position];
        // Where each matched word starts and ends, to tell the phrasing's own words from the
        // words between them.
        std::array<std::uint32_t, kMaxTrackedTerms> span_begin;  // filled up to `tracked`
        std::array<std::uint32_t, kMaxTrackedTerms> span_end;
        std::size_t tracked = 0;
        span_begin[tracked] = start->position;
        span_end[tracked++] = cursor;
        bool matched = true;
        for (std::size_t k = 1; k < phrasing.terms.size() && matched; ++k) {
            auto [it, end] = occurrences_of(phrasing.terms[k]);
            // The earliest occurrence after the cursor leaves the most room for the words after it.
            it = std::lower_bound(it, end, cursor, [](const Occurrence& o, std::uint32_t at) { return o.position < at; });
            if (it == end || marks.sentence[it->position] != sentence) {
                matched = false;
            } else if (phrasing.literal) {
                matched = it->position == cursor;
            } else {
                matched = answer.meaningful_before[it->position] - answer.meaningful_before[cursor] <= kMaxGap;
            }
            if (matched) {
                cursor = it->position + it->length;
                if (tracked < kMaxTrackedTerms) {
                    span_begin[tracked] = it->position;
                    span_end[tracked++] = cursor;
                }
                polarity = std::max(polarity, marks.polarity[it->position]);
            }
        }
        if (!matched) continue;
        // A phrasing that carries its own negation ("no signs of", "never saw") says the point
        // as written: a cue that is one of its words does not count against it. A cue in a gap
        // between its words ("LOINC is supposedly for labs") or a word argued against by itself
        // (a bare "Jargon?") still does.
        const std::uint32_t first = start->position;
        const std::uint32_t last = cursor - 1;
        if (polarity != Polarity::Affirmed) {
            auto own_word = [&](std::uint32_t cue) {
                if (tracked == kMaxTrackedTerms) return cue >= first && cue <= last;  // too long to tell: as before
                if (marks.polarity[cue] != Polarity::Affirmed) return false;
                for (std::size_t t = 0; t < tracked; ++t)
                    if (cue >= span_begin[t] && cue < span_end[t]) return true;
                return false;
            };
            polarity = Polarity::Affirmed;
            for (std::uint32_t k = first; k <= last; ++k) {
                const std::uint32_t cue = marks.cue[k];
                if (cue != ClauseMarks::kNoCue && !own_word(cue)) polarity = std::max(polarity, marks.polarity[k]);
            }
        }
        if (!visit(Match{first, last, effective(polarity, avoids)})) return;
    }
}

std::optional<Scorer::Match> Scorer::match_phrasing(const AnalyzedAnswer& answer, const Phrasing& phrasing,
                                                    bool avoids) const {
    // Said plainly anywhere beats argued against somewhere else.
    std::optional<Match> found;
    each_match(answer, phrasing, avoids, [&](const Match& m) {
        if (!found || m.polarity == Polarity::Affirmed) found = m;
        return m.polarity != Polarity::Affirmed;
    });
    return found;
}

std::optional<Scorer::Match> Scorer::match_cue(const AnalyzedAnswer& answer, const CompiledCue& cue, bool avoids) const {
    struct Hit {
        Match match;
        std::uint32_t set;
        std::uint32_t entry;  // numbered across the cue's sets
    };
    std::vector<Hit> hits;
    std::uint32_t entry_number = 0;
    for (std::uint32_t s = 0; s < cue.sets.size(); ++s) {
        for (const Variants& entry : cue.sets[s]) {
            for (const Phrasing& variant : entry)
                each_match(answer, variant, avoids, [&](const Match& m) {
                    hits.push_back({m, s, entry_number});
                    return true;
                });
            ++entry_number;
        }
    }
    if (hits.size() < cue.at_least) return std::nullopt;
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.match.first < b.match.first; });
    const auto& marks = answer.clauses;
    // First looking only at what was said plainly; then at everything, to find a rejection.
    for (const bool plain_only : {true, false}) {
        for (std::size_t i = 0; i < hits.size(); ++i) {
            if (plain_only && hits[i].match.polarity != Polarity::Affirmed) continue;
            std::vector<std::uint32_t> entries;
            std::uint64_t sets = 0;
            std::uint32_t last = hits[i].match.last;
            Polarity polarity = Polarity::Affirmed;
            for (std::size_t j = i; j < hits.size(); ++j) {
                const Hit& hit = hits[j];
                if (marks.sentence[hit.match.first] != marks.sentence[hits[i].match.first]) break;
                if (plain_only && hit.match.polarity != Polarity::Affirmed) continue;
                const std::uint32_t start = hits[i].match.first;
                // Later hits start later still: once one starts outside the window, none fits.
                if (answer.meaningful_before[hit.match.first + 1] - answer.meaningful_before[start] > cue.within) break;
                const std::uint32_t new_last = std::max(last, hit.match.last);
                if (answer.meaningful_before[new_last + 1] - answer.meaningful_before[start] > cue.within) continue;
                last = new_last;
                polarity = std::max(polarity, hit.match.polarity);
                if (hit.set < 64) sets |= std::uint64_t{1} << hit.set;
                if (std::find(entries.begin(), entries.end(), hit.entry) == entries.end()) entries.push_back(hit.entry);
                const bool every_set = std::popcount(sets) == static_cast<int>(std::min<std::size_t>(cue.sets.size(), 64));
                if (every_set && entries.size() >= cue.at_least) return Match{hits[i].match.first, last, polarity};
            }
        }
    }
    return std::nullopt;
}

CoverageResult Scorer::score_compiled(const AnalyzedAnswer& answer, std::size_t question_index) const {
    const CompiledQuestion& question = *questions_.at(question_index);
    CoverageResult result;
    result.question_id = bank_->questions()[question_index].id;
    result.term_list = answer.term_list;
    double credited = 0.0;
    auto quote = [&](std::uint32_t first, std::uint32_t last) {
        const std::size_t begin = answer.word_spans[first].first;
        const std::size_t end = answer.word_spans[last].second;
        return answer.text.substr(begin, end - begin);
    };
    // Quotes a rejected mention with the word that rejects it, when that word is close enough
    // to read as one phrase.
    constexpr std::uint32_t kQuoteReach = 8;
    auto quote_rejected = [&](const Match& m) {
        std::uint32_t first = m.first;
        std::uint32_t last = m.last;
        for (std::uint32_t k = m.first; k <= m.last; ++k) {
            const std::uint32_t cue = answer.clauses.cue[k];
            if (cue == ClauseMarks::kNoCue) continue;
            if (cue < first && first - cue <= kQuoteReach) first = cue;
            if (cue > last && cue - last <= kQuoteReach) last = cue;
        }
        return quote(first, last);
    };
    // What each concept came to, before the answer's stance is weighed.
    struct Outcome {
        std::optional<Match> said;
        std::optional<Match> rejected;
    };
    std::vector<Outcome> outcomes;
    outcomes.reserve(question.concepts.size());
    for (const CompiledConcept& concept_entry : question.concepts) {
        // The longest phrasing said plainly quotes the most telling evidence back.
        const Phrasing* best = nullptr;
        Match best_match;
        std::optional<Match> rejected;
        for (const Phrasing& phrasing : concept_entry.phrasings) {
            if (best != nullptr && phrasing.terms.size() <= best->terms.size()) continue;
            auto match = match_phrasing(answer, phrasing, concept_entry.avoids);
            if (!match) continue;
            if (match->polarity == Polarity::Affirmed) {
                best = &phrasing;
                best_match = *match;
            } else if (!rejected) {
                rejected = match;
            }
        }
        std::optional<Match> said = best != nullptr ? std::optional(best_match) : std::nullopt;
        if (!said) {
            for (const CompiledCue& cue : concept_entry.cues) {
                auto match = match_cue(answer, cue, concept_entry.avoids);
                if (!match) continue;
                if (match->polarity == Polarity::Affirmed) {
                    said = match;
                    break;
                }
                if (!rejected) rejected = match;
            }
        }
        outcomes.push_back({said, rejected});
    }
    // An answer that has argued against several points is arguing, not explaining: there, a
    // point said in a sentence that also negates or finds fault ("FHIR endpoints are slow, so
    // ...", "whatever vector DB the tutorial uses") is argued against too. An honest answer
    // rarely rejects two points, so it is not read this way.
    const auto rejections = std::count_if(outcomes.begin(), outcomes.end(),
                                          [](const Outcome& o) { return !o.said && o.rejected; });
    if (rejections >= kRejectingStance) {
        for (Outcome& outcome : outcomes) {
            if (!outcome.said) continue;
            const Match m = *outcome.said;
            // The nearest such word is quoted with the point when it is close.
            const std::optional<std::uint32_t> fault = nearest_fault(answer.clauses, m.first, m.last);
            if (!fault) continue;
            Match argued = m;
            if (*fault < m.first && m.first - *fault <= kQuoteReach) argued.first = *fault;
            if (*fault > m.last && *fault - m.last <= kQuoteReach) argued.last = *fault;
            outcome.rejected = argued;
            outcome.said.reset();
        }
    }
    for (std::size_t c = 0; c < outcomes.size(); ++c) {
        const CompiledConcept& concept_entry = question.concepts[c];
        const Outcome& outcome = outcomes[c];
        if (outcome.said) {
            credited += concept_entry.weight;
            result.covered.push_back(
                {concept_entry.label, concept_entry.weight, quote(outcome.said->first, outcome.said->last)});
        } else if (outcome.rejected) {
            result.rejected.push_back({concept_entry.label, concept_entry.weight, quote_rejected(*outcome.rejected)});
        } else {
            result.missed.push_back({concept_entry.label, concept_entry.weight});
        }
    }
    result.coverage = question.total_weight > 0.0 ? credited / question.total_weight : 0.0;
    if (result.term_list) result.coverage *= kTermListCredit;
    result.band = band_for(result.coverage);
    return result;
}

CoverageResult Scorer::score(const AnalyzedAnswer& answer, std::size_t question_index) {
    (void)prepare(question_index);
    if (!questions_.at(question_index)) {
        CoverageResult empty;
        empty.question_id = bank_->questions()[question_index].id;
        return empty;
    }
    if (answer.vocabulary_size < questions_[question_index]->vocabulary_size)
        return score_compiled(analyze(answer.text), question_index);
    return score_compiled(answer, question_index);
}

CoverageResult Scorer::score(std::string_view answer, std::size_t question_index) {
    (void)prepare(question_index);
    return score(analyze(answer), question_index);
}

}  // namespace ehrprep
