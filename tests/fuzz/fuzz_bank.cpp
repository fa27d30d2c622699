// A bank file as `ehrprep bank validate` reads it: parsed, checked field by field, then every
// question compiled for scoring. Any input must end in a bank or a list of problems.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto bank = ehrprep::parse_question_bank(text, "fuzz.json");
    if (!bank) {
        if (bank.error().lines.empty()) __builtin_trap();  // a refusal always says why
        return 0;
    }
    auto checked = ehrprep::Scorer::check(*bank, "fuzz.json");
    if (!checked && checked.error().lines.empty()) __builtin_trap();
    return 0;
}
