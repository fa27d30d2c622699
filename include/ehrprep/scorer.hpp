#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ehrprep/negation.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/stemmer.hpp"
#include "ehrprep/tokenizer.hpp"

namespace ehrprep {

enum class Band { NeedsWork, Partial, Strong };

// Coverage at or above these is "strong" or "partial"; below the lower one it "needs work".
inline constexpr double kStrongCoverage = 0.70;
inline constexpr double kPartialCoverage = 0.40;

// What a point earns when the answer is a bare list of terms: naming is not explaining.
inline constexpr double kTermListCredit = 0.5;

// Points an answer must argue against before the rest of what it says is read in that light:
// a point said in a sentence that negates or finds fault is then argued against too.
inline constexpr std::ptrdiff_t kRejectingStance = 2;

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

// A point the answer brings up only to argue against it ("we would skip human review").
struct RejectedConcept {
    std::string label;
    double weight = 1.0;
    std::string matched;  // the words that mention it, with the word that rejects it when close by
};

struct CoverageResult {
    std::string question_id;
    double coverage = 0.0;  // credited weight / total weight, 0..1
    Band band = Band::NeedsWork;
    std::vector<CoveredConcept> covered;    // in the order the bank lists the concepts
    std::vector<MissedConcept> missed;      // neither said nor argued against
    std::vector<RejectedConcept> rejected;  // said only inside a negated or rejecting clause
    bool term_list = false;                 // a bare list of terms: each point earned kTermListCredit
};

// An answer broken into words, marked for negation and sentences, and looked up in the
// vocabulary of the questions compiled so far, so that it can be scored against any number of
// them without being read again.
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
    ClauseMarks clauses;                  // sentence and polarity of each position
    bool term_list = false;
    std::size_t vocabulary_size = 0;      // terms known when it was analysed
};

// Matches answers against the concepts of a question bank. A question's phrasings and cues are
// compiled (tokenized, stemmed, indexed for typos) the first time it is prepared or scored, so
// scoring one question never pays for the whole bank. The bank must outlive the scorer.
class Scorer {
public:
    Scorer(const QuestionBank& bank, std::string source);

    // Compiles every question and returns every problem, each naming the question and concept:
    // a phrasing or cue entry with no word left to match (empty, or only small words), or a
    // phrasing that is a single common word ("privacy", "feedback"), which is never evidence
    // on its own. What `bank validate` and the build check.
    static Result<void, BankProblems> check(const QuestionBank& bank, std::string_view source);

    // Compiles one question (once); fails with its problems.
    Result<void, BankProblems> prepare(std::size_t question_index);
    // Compiles them all, for scoring one answer against many questions.
    void prepare_all();

    AnalyzedAnswer analyze(std::string_view answer);
    // Compiles the question first if needed, re-reading an answer analysed before it was.
    CoverageResult score(const AnalyzedAnswer& answer, std::size_t question_index);
    CoverageResult score(std::string_view answer, std::size_t question_index);

    [[nodiscard]] std::size_t question_count() const { return questions_.size(); }
    [[nodiscard]] std::size_t vocabulary_size() const { return terms_.size(); }
    [[nodiscard]] bool is_prepared(std::size_t question_index) const {
        return questions_.at(question_index).has_value();
    }

private:
    struct Phrasing {
        std::vector<std::uint32_t> terms;
        // Matched word for word, small words included and nothing between: phrasings like
        // "at rest" or "on me" that ignoring small words would shrink to one vague word.
        bool literal = false;
    };
    // One phrasing as written, with the joined-word variants that also say it.
    using Variants = std::vector<Phrasing>;
    struct CompiledCue {
        std::vector<std::vector<Variants>> sets;  // set -> entry -> variants
        std::size_t at_least = 0;
        std::size_t within = Cue::kDefaultWithin;
    };
    struct CompiledConcept {
        std::string label;
        double weight = 1.0;
        bool avoids = false;
        std::vector<Phrasing> phrasings;
        std::vector<CompiledCue> cues;
    };
    struct CompiledQuestion {
        std::vector<CompiledConcept> concepts;
        double total_weight = 0.0;
        std::size_t vocabulary_size = 0;  // terms known once it was compiled
    };
    struct TypoForm {
        std::string text;
        std::uint32_t term;
        int max_edits;
    };
    // Where a phrasing was found, and how it was said there.
    struct Match {
        std::uint32_t first = 0;
        std::uint32_t last = 0;
        Polarity polarity = Polarity::Affirmed;
    };

    std::uint32_t intern(const std::string& key);
    std::string key_of(const Token& word);
    Result<Variants, std::string> compile_phrasing(std::string_view text);
    CompiledQuestion compile_question(const Question& question, BankProblems& problems);
    void index_typo_forms(const std::string& raw, const std::string& stem, std::uint32_t term);
    void add_typo_matches(const std::string& raw, const std::string& stem, std::uint32_t position,
                          std::vector<AnalyzedAnswer::Occurrence>& out) const;
    std::optional<Match> match_phrasing(const AnalyzedAnswer& answer, const Phrasing& phrasing, bool avoids) const;
    // Calls visit(Match) for each place the phrasing is found, until visit returns false.
    template <typename Visit>
    void each_match(const AnalyzedAnswer& answer, const Phrasing& phrasing, bool avoids, Visit&& visit) const;
    std::optional<Match> match_cue(const AnalyzedAnswer& answer, const CompiledCue& cue, bool avoids) const;
    CoverageResult score_compiled(const AnalyzedAnswer& answer, std::size_t question_index) const;

    const QuestionBank* bank_;
    std::string source_;
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
    bool index_sorted_ = true;
    std::unordered_set<std::string> common_stems_;  // kCommonWords and their stems, filled on first need
    std::vector<std::optional<CompiledQuestion>> questions_;  // by bank index, compiled on demand
};

}  // namespace ehrprep
