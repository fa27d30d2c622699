#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "ehrprep/tokenizer.hpp"

namespace ehrprep {

// Whether a word is said, or said inside a clause that argues against it.
enum class Polarity : std::uint8_t {
    Affirmed,   // said plainly
    Negated,    // "not", "no", "never", "without", "avoid", "instead of": said as something not done
    Dismissed,  // "skip", "ignore", "isn't needed", "overkill", "not worth it": argued against
};

// Per word of an answer: the sentence it belongs to, its polarity, and the word that set it.
struct ClauseMarks {
    static constexpr std::uint32_t kNoCue = std::numeric_limits<std::uint32_t>::max();

    std::vector<std::uint32_t> sentence;
    std::vector<Polarity> polarity;
    std::vector<std::uint32_t> cue;  // position of the negating word, or kNoCue
    // Words that negate, reject or find fault ("not", "overkill", "slow", "whatever"), wherever
    // they stand. A sentence that holds one says nothing for sure, but in an answer that has
    // already argued against points it is one more.
    std::vector<bool> finds_fault;
};

// Works out which words sit in a negated or rejecting clause. The scope of a negation is the
// rest of its clause: a sentence ends it, and so do "but", "although", "so we", "until",
// "unless", a colon or a dash; a comma ends it only where a new clause starts ("..., we
// added") so that "we'd skip guardrails, review and monitoring" rejects all three. A
// rejection that comes after what it rejects ("human review isn't needed", "it's overkill")
// reaches back to the start of its clause, and "skip it" or "we don't need them" back to the
// start of the sentence; a sentence that is nothing but such a verdict ("I'd skip that.")
// judges the sentence before it. A claim put forward only to be disputed ("vendors like to say
// X, but ...", "the textbook answer is X. In practice ...") is argued against up to the turn.
// Two negations cancel ("never without sign-off"); "not only",
// "not just" and "no doubt" negate nothing; conditions ("if it's not confident, ...") state
// cases, not stances, so nothing in them is negated.
ClauseMarks mark_negation(const std::vector<Token>& tokens);

}  // namespace ehrprep
