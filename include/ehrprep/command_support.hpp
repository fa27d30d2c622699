#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ehrprep/app_context.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/review_schedule.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

// What more than one command needs, so that commands do not include each other.

// How every command ends: on success kExitOk; on failure "ehrprep: MESSAGE" and the error's
// located lines on stderr, and its exit status. An error without a message has already been
// shown where it happened (a quiz says at once that its answers cannot be saved) or needs no
// words (an interrupted quiz ends with its summary).
int end_command(AppContext& ctx, const Result<void>& outcome);

// The largest bank file read: hundreds of thousands of questions, and a bound on the memory
// that parsing one takes.
inline constexpr std::size_t kMaxBankBytes = std::size_t{256} << 20;

// --bank, else $EHRPREP_BANK, else the built-in bank; `source_name` gets the name messages use
// for it. A bank that cannot be read or is not valid is bad input.
Result<QuestionBank> load_bank(AppContext& ctx, const GlobalOptions& options, std::string* source_name = nullptr);

// Every problem of a bank, one located line each, as bad input.
Error bank_error(BankProblems problems);

// The tier ids that --tier names (ids or display names, in any case), each once.
Result<std::vector<std::string>> resolve_tiers(const QuestionBank& bank, const std::vector<std::string>& names);

// --retention and --rating-thresholds over the defaults.
Result<ReviewSettings> review_settings(const GlobalOptions& global);

// Where the history is: kHistoryFileName in the data directory.
Result<std::string> history_path(const AppContext& ctx, const GlobalOptions& global);

// Streams the attempts of the history at `path`, warning on stderr about lines that cannot be
// read (the first few, by file and line). A history that cannot be read at all is an I/O
// failure.
Result<void> scan_history(AppContext& ctx, const std::string& path, const std::function<void(const Attempt&)>& visit,
                          AnswerText answer);

// How many parts a history is read in at once (HistoryStore::scan_parts): one for each core
// the machine has, up to eight.
std::size_t history_reading_parts();

// Streams the attempts of the history at `path` read in `parts` at once, each part's in file
// order on a thread of its own, warning as scan_history does.
Result<void> scan_history_parts(AppContext& ctx, const std::string& path, std::size_t parts, HistoryFields fields,
                                const std::function<void(std::size_t part, const AttemptView&)>& visit);

// The user's offset from UTC at any moment, as the clock reports it.
UtcOffset utc_offset(AppContext& ctx);

// Times as the user reads them, at `now`, with their UTC offset from the clock.
LocalTime local_time(AppContext& ctx, Timestamp now);

// Every question's spaced-review schedule, from one pass over the whole history.
Result<std::vector<QuestionSchedule>> load_schedules(AppContext& ctx, const GlobalOptions& global,
                                                     const QuestionBank& bank, const ReviewSettings& settings,
                                                     Timestamp now);

}  // namespace ehrprep
