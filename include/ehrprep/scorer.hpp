#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/stemmer.hpp"
#include "ehrprep/tokenizer.hpp"

namespace ehrprep {

enum class Band { NeedsWork, Partial, Strong };

// Coverage at or above these is "strong" or "partial"; below the lower one it "needs work".
inline constexpr double kStrongCoverage = 0.70;
inline constexpr double kPartialCoverage = 0.40;

Band band_for(double coverage);
std::string_view band_name(Band band);

struct CoveredConcept {
    std::string label;
    double weight = 1.0;
    std::string matched;  // the words of the answer that said it, as typed
};

struct MissedConcept {
    std::string label;
    double weight = 1.0;
};

struct CoverageResult {
    std::string question_id;
    double coverage = 0.0;  // covered weight / total weight, 0..1
    Band band = Band::NeedsWork;
    std::vector<CoveredConcept> covered;  // in the order the bank lists the concepts
    std::vector<MissedConcept> missed;
};

// An answer broken into words and looked up in the bank's vocabulary once, so that it can be
// scored against any number of questions without being read again.
struct AnalyzedAnswer {
    struct Occurrence {
        std::uint32_t term;
        std::uint32_t position;  // index among the answer's words
        std::uint32_t length;    // words it spans: more than one when typed words join into one term
    };
    std::string text;  // the answer, repaired to valid UTF-8
    std::vector<std::pair<std::size_t, std::size_t>> word_spans;  // byte span of each position
    // Words before each position that are not small words: gaps in a phrase count only these.
    std::vector<std::uint32_t> meaningful_before;
    std::vector<Occurrence> occurrences;  // sorted by term, then position
};

// Matches answers against the concepts of a question bank. Built once per bank: every
// phrasing is tokenized, stemmed and indexed here, so scoring never re-reads the bank.
class Scorer {
public:
    // Fails, naming the question and concept, when a phrasing has no word left to match
    // (empty, or made only of stop words and punctuation).
    static Result<Scorer, BankProblems> compile(const QuestionBank& bank, std::string_view source);

    AnalyzedAnswer analyze(std::string_view answer);
    [[nodiscard]] CoverageResult score(const AnalyzedAnswer& answer, std::size_t question_index) const;
    CoverageResult score(std::string_view answer, std::size_t question_index);

    [[nodiscard]] std::size_t question_count() const { return questions_.size(); }
    [[nodiscard]] std::size_t vocabulary_size() const { return terms_.size(); }

private:
    struct Phrasing {
        std::vector<std::uint32_t> terms;
        // Matched word for word, small words included and nothing between: phrasings like
        // "at rest" or "on me" that ignoring small words would shrink to one vague word.
        bool literal = false;
    };
    struct CompiledConcept {
        std::string label;
        double weight;
        std::vector<Phrasing> phrasings;
    };
    struct CompiledQuestion {
        std::string id;
        std::vector<CompiledConcept> concepts;
        double total_weight;
    };
    struct TypoForm {
        std::string text;
        std::uint32_t term;
        int max_edits;
    };

    Scorer() = default;
    std::uint32_t intern(const std::string& key);
    std::string key_of(const Token& word);
    void index_typo_forms(const std::string& raw, const std::string& stem, std::uint32_t term);
    void add_typo_matches(const std::string& raw, const std::string& stem, std::uint32_t position,
                          std::vector<AnalyzedAnswer::Occurrence>& out) const;
    bool match_phrasing(const AnalyzedAnswer& answer, const Phrasing& phrasing, std::uint32_t& first,
                        std::uint32_t& last) const;

    Stemmer stemmer_;
    std::vector<std::string> terms_;
    std::unordered_map<std::string, std::uint32_t> term_ids_;
    std::unordered_set<std::string> term_starts_;    // first three letters of every term
    std::unordered_set<std::string> word_prefixes_;  // every start of 3+ letters of a phrasing word's stem
    std::vector<TypoForm> typo_forms_;
    std::unordered_set<std::string> indexed_forms_;
    // (hash of a string reachable by deleting up to two letters from a typo form, that form),
    // sorted: a typed word that shares such a string is a candidate typo.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> deletion_index_;
    std::vector<CompiledQuestion> questions_;
};

}  // namespace ehrprep
