#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/fsrs.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/time.hpp"

namespace ehrprep {

enum class Outcome { Answered, TimedOut, Skipped, Quit };

std::string_view outcome_name(Outcome outcome);  // "answered", "timed_out", "skipped", "quit"
std::optional<Outcome> outcome_from_name(std::string_view name);

// One finished attempt at a question: a line of history.jsonl.
struct Attempt {
    static constexpr int kSchemaVersion = 1;

    std::string session_id;
    std::string question_id;
    std::string tier_id;
    Timestamp started_at{};
    double seconds = 0.0;         // time taken to answer
    Outcome outcome = Outcome::Answered;
    double coverage = 0.0;        // 0..1; 0 for skipped and quit
    std::vector<std::string> covered;
    std::vector<std::string> missed;  // every point not credited, argued-against ones included
    std::string answer;
    // A second try straight after the feedback on the first: the hint and tips had just been
    // shown, so it is kept and listed but neither averaged nor counted for spaced review.
    bool retry = false;
    // Spaced review: the rating coverage suggested and the one the user chose instead, when
    // they changed it. Scheduling uses the chosen one.
    std::optional<Rating> suggested_rating;
    std::optional<Rating> chosen_rating;
};

std::string_view rating_name(Rating rating);  // "again", "hard", "good", "easy"
std::optional<Rating> rating_from_name(std::string_view name);

std::string serialize_attempt(const Attempt& attempt);  // one JSON object, no newline

// Whether reading a line decodes its answer, which is most of its bytes, or only checks it:
// views that never show answers read a long history fastest without them.
enum class AnswerText { Read, Skip };

// Reads one history line into `out`, reusing its buffers; with AnswerText::Skip the answer is
// left empty. The line must be one JSON object, strictly written, nested at most 64 deep, with
// the fields serialize_attempt writes (others are stepped over; "retry", "suggested_rating" and
// "rating" are optional). Text is read leniently: bytes
// that are not UTF-8 and lone surrogates become U+FFFD, as they do when written. Whether a line
// is read or refused, and why, never depends on `answer`.
Result<void> parse_attempt(std::string_view line, Attempt& out, AnswerText answer);
Result<Attempt> parse_attempt(std::string_view line);  // the whole attempt, answer included

struct HistoryWarning {
    std::size_t line = 0;
    std::string message;
};

// The practice history: an append-only JSON Lines file that is never rewritten.
class HistoryStore {
public:
    HistoryStore(FileSystem& files, std::string path) : files_(files), path_(std::move(path)) {}

    [[nodiscard]] const std::string& path() const { return path_; }

    // Appends one attempt as a whole line under a lock, so that concurrent sessions interleave
    // complete lines.
    Result<void> append(const Attempt& attempt);

    // Streams every readable attempt in file order. Lines that are torn or corrupt (a crash
    // mid-write, a hand edit) are skipped and reported in `warnings` with their line number.
    Result<void> scan(const std::function<void(const Attempt&)>& visit, std::vector<HistoryWarning>& warnings,
                      AnswerText answer = AnswerText::Read) const;

private:
    FileSystem& files_;
    std::string path_;
};

inline constexpr std::string_view kHistoryFileName = "history.jsonl";

}  // namespace ehrprep
