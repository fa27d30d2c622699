#pragma once

#include <string>
#include <vector>

#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/question_bank.hpp"

namespace ehrprep::test {

// Two tiers of two questions each; concepts A-F.
QuestionBank progress_bank();
// The bank as a JSON file, for --bank.
std::string progress_bank_json();

// Five sessions from 2026-03-01 to 2026-03-10 over progress_bank(), with every outcome, a
// question the bank no longer has, and times fixed.
std::vector<Attempt> fixed_history();
inline constexpr const char* kFixedToday = "2026-03-10";
inline constexpr Timestamp kFixedNow{std::chrono::seconds{1'773'140'400}};  // 2026-03-10T11:00:00Z

// Times read at kFixedNow in UTC, or `offset` from it.
LocalTime fixed_local(std::chrono::seconds offset = std::chrono::seconds{0});

std::string to_jsonl(const std::vector<Attempt>& attempts);

// The lines of a rendered text, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

ProgressReport build(const QuestionBank& bank, const std::vector<Attempt>& attempts, ProgressFilter filter = {},
                     const char* today = kFixedToday, ProgressDetail detail = ProgressDetail::Full);

// Compares `actual` with tests/golden/NAME. Run the tests with EHRPREP_UPDATE_GOLDEN=1 to
// rewrite the golden files from the current output, then review the diff.
void check_golden(const std::string& name, const std::string& actual);

}  // namespace ehrprep::test
