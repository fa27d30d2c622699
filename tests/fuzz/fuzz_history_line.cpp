// One line of history.jsonl as the history reader sees it. A line is kept or skipped the same
// whether its answer is read, and an attempt that was read writes a line that reads back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ehrprep/history.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    ehrprep::Attempt with_answer;
    ehrprep::Attempt without_answer;
    const bool read = ehrprep::parse_attempt(line, with_answer, ehrprep::AnswerText::Read).has_value();
    const bool checked = ehrprep::parse_attempt(line, without_answer, ehrprep::AnswerText::Skip).has_value();
    if (read != checked) __builtin_trap();
    if (!read) return 0;
    if (!without_answer.answer.empty()) __builtin_trap();
    auto again = ehrprep::parse_attempt(ehrprep::serialize_attempt(with_answer));
    if (!again) __builtin_trap();
    if (again->answer != with_answer.answer || again->question_id != with_answer.question_id ||
        again->covered != with_answer.covered || again->missed != with_answer.missed)
        __builtin_trap();
    return 0;
}
