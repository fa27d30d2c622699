#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// What separates a word from the one before it, strongest first when several marks meet.
// Negation scope and phrase matching stop at clauses and sentences; list detection counts
// the pieces between commas.
enum class Boundary : std::uint8_t {
    None,      // spaces, hyphens, slashes: the same phrase
    Comma,     // a comma: a list goes on, a clause may end
    Clause,    // a colon, semicolon-free dash, bracket or line break: the clause ends
    Sentence,  // . ! ? ; a blank line or a bullet; also before the first word
};

// A word of the input, folded for matching, with where it stands in the original text so that
// evidence can be quoted back to the user exactly as they typed it.
struct Token {
    std::string folded;      // lower case, accents removed, apostrophes dropped
    std::size_t begin = 0;   // byte offsets into the tokenized text
    std::size_t end = 0;
    bool all_caps = false;   // written as an acronym: two or more letters, none lower case
    bool has_upper = false;  // some letter written in upper case
    bool has_digit = false;
    Boundary boundary = Boundary::None;  // between this word and the previous one
    bool ends_question = false;          // the last word before a question mark
};

struct Utf8Repair {
    std::string text;
    std::size_t invalid_sequences = 0;
    std::size_t first_invalid_byte = 0;
};

// Replaces every byte sequence that is not valid UTF-8 with U+FFFD so that later stages can
// assume well-formed input.
Utf8Repair repair_utf8(std::string_view bytes);

// Splits valid UTF-8 into words. Letters and digits form words, and digits stay with the
// letters they touch ("ICD10" is one word); everything else is a break. Apostrophes inside a
// word are dropped rather than splitting it ("patient's" -> "patients"). Each word records the
// punctuation before it as a Boundary; a full stop after a single letter or a common
// abbreviation ("e.g.", "vs.") or inside a number ("0.86") does not end a sentence.
std::vector<Token> tokenize(std::string_view utf8);

// Words too common to carry meaning in a phrasing; ignored on both sides of a match.
bool is_stop_word(std::string_view folded);

}  // namespace ehrprep
