#pragma once

#include <vector>

#include "ehrprep/tokenizer.hpp"

namespace ehrprep {

// Whether an answer is mostly a bare list of terms ("guardrails, human review, confidence,
// sanity checks"): three or more comma-, line- or bullet-separated pieces, nearly all of them
// four words or fewer, and almost none of the small words (pronouns, articles, auxiliaries,
// prepositions) that sentences are built from. A list opened by an instruction ("Discuss X, Y
// and Z") is a sentence. Naming a point is not explaining it, so the scorer gives listed
// points half credit.
bool reads_as_term_list(const std::vector<Token>& tokens);

}  // namespace ehrprep
