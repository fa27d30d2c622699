#pragma once

#include <string_view>

namespace ehrprep {

// Whether a folded word of 4 to 24 letters is an ordinary English word, spelled correctly.
// Typo matching leaves such words alone: "content" is a word, not a slip for "consent". The
// table is compiled in from the system word list when ehrprep is built.
bool is_english_word(std::string_view folded);

}  // namespace ehrprep
