#pragma once

#include <string_view>

#include "ehrprep/question_bank.hpp"

namespace ehrprep {

// The bank of data/questions.json, checked when ehrprep was built and compiled in as code,
// so ehrprep needs no data files beside it and never parses its own bank.
QuestionBank embedded_bank();

// How messages name the built-in bank.
inline constexpr std::string_view kEmbeddedBankName = "data/questions.json (built in)";

}  // namespace ehrprep
