#include "ehrprep/term_list.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>

namespace ehrprep {
namespace {

constexpr std::size_t kMinPieces = 3;
constexpr std::size_t kShortPiece = 4;          // words
constexpr double kShortShare = 0.75;            // of the pieces
constexpr double kMaxSentenceWordShare = 0.12;  // of the words

// The words sentences are built from and lists do without.
constexpr std::array<std::string_view, 71> kSentenceWords = {
    "a",     "an",    "the",   "i",     "we",    "you",   "they",  "he",    "she",   "it",    "its",   "is",
    "are",   "was",   "were",  "be",    "been",  "being", "am",    "do",    "does",  "did",   "have",  "has",
    "had",   "will",  "would", "shall", "should", "can",  "could", "may",   "might", "must",  "to",    "of",
    "for",   "in",    "on",    "at",    "by",    "with",  "from",  "into",  "that",  "which", "who",   "because",
    "so",    "if",    "when",  "then",  "than",  "this",  "these", "those", "our",   "my",    "your",  "their",
    "id",    "wed",   "ill",   "im",    "ive",   "dont",  "not",   "no",    "how",   "why",   "what"};

// An instruction that opens a sentence: "Discuss federated learning, differential privacy, ..."
// is a sentence about a list, not a bare one.
constexpr std::array<std::string_view, 22> kDirectives = {
    "cover",  "discuss",   "describe", "explain", "mention", "outline", "address", "include",
    "implement", "evaluate", "prepare", "design", "compare", "consider", "demonstrate", "detail",
    "establish", "ensure",  "require",  "build",   "use",     "apply"};

const std::unordered_set<std::string_view>& sentence_words_set() {
    static const std::unordered_set<std::string_view> set(kSentenceWords.begin(), kSentenceWords.end());
    return set;
}

}  // namespace

bool reads_as_term_list(const std::vector<Token>& tokens) {
    if (tokens.empty()) return false;
    if (std::find(kDirectives.begin(), kDirectives.end(), tokens.front().folded) != kDirectives.end()) return false;
    std::size_t pieces = 0;
    std::size_t short_pieces = 0;
    std::size_t piece_words = 0;
    std::size_t sentence_words = 0;
    auto close_piece = [&] {
        if (piece_words == 0) return;
        ++pieces;
        if (piece_words <= kShortPiece) ++short_pieces;
        piece_words = 0;
    };
    for (const Token& token : tokens) {
        if (token.boundary >= Boundary::Comma) close_piece();
        ++piece_words;
        if (sentence_words_set().count(token.folded) != 0) ++sentence_words;
    }
    close_piece();
    if (pieces < kMinPieces) return false;
    return static_cast<double>(short_pieces) >= kShortShare * static_cast<double>(pieces) &&
           static_cast<double>(sentence_words) <= kMaxSentenceWordShare * static_cast<double>(tokens.size());
}

}  // namespace ehrprep
