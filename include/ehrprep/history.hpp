#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
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

// Which of a line's bulky fields a reader decodes. The others are only checked, so that a line
// is read or refused, and for the same reason, whatever is asked for.
struct HistoryFields {
    bool covered = true;
    bool missed = true;
    bool answer = true;
};

// An attempt read in place: text is a view of the line, or of the reader's own buffers where
// the line had escapes or bytes that are not UTF-8 to repair. Valid until the reader reads its
// next line. Fields a reader was not asked for are empty.
struct AttemptView {
    std::string_view session_id;
    std::string_view question_id;
    std::string_view tier_id;
    Timestamp started_at{};
    double seconds = 0.0;
    Outcome outcome = Outcome::Answered;
    double coverage = 0.0;
    std::span<const std::string_view> covered;
    std::span<const std::string_view> missed;
    std::string_view answer;
    bool retry = false;
    std::optional<Rating> suggested_rating;
    std::optional<Rating> chosen_rating;
};

// Reads history lines, reusing its buffers from one line to the next so that a long history is
// read without an allocation per line. A line must be one JSON object, strictly written, nested
// at most 64 deep, with the fields serialize_attempt writes (others are stepped over; "retry",
// "suggested_rating" and "rating" are optional). Text is read leniently: bytes that are not
// UTF-8 and lone surrogates become U+FFFD, as they do when written.
class AttemptReader {
public:
    explicit AttemptReader(HistoryFields fields = {}) : fields_(fields) {}

    Result<void> read(std::string_view line, AttemptView& out);

private:
    // A covered or missed label: a view of the line, or where it was decoded to.
    struct Label {
        std::string_view in_line;
        std::size_t decoded_at = 0;
        std::size_t decoded_size = 0;
    };

    HistoryFields fields_;
    std::string session_, question_, tier_, started_, outcome_, suggested_, chosen_, key_, answer_;
    std::string covered_text_, missed_text_, label_scratch_;
    std::vector<Label> labels_;
    std::vector<std::string_view> covered_, missed_;
};

// Reads one history line into `out`, reusing its buffers; with AnswerText::Skip the answer is
// left empty. Whether a line is read or refused, and why, never depends on `answer`.
Result<void> parse_attempt(std::string_view line, Attempt& out, AnswerText answer);
Result<Attempt> parse_attempt(std::string_view line);  // the whole attempt, answer included

struct HistoryWarning {
    std::size_t line = 0;
    std::string message;
};

// Lines longer than this are no attempt ehrprep wrote: they are skipped, not held in memory.
inline constexpr std::size_t kMaxHistoryLineBytes = std::size_t{16} << 20;

// How a history is split between threads for reading: into `parts` pieces of about the same
// size, or, when `starts` is given, into pieces that begin at those byte offsets (after the
// first, which begins at 0). Each piece holds the lines that begin in it, so a boundary that
// falls inside a line leaves that line whole to the piece it began in.
struct HistorySplit {
    std::size_t parts = 1;
    std::vector<std::uint64_t> starts;
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
    // A last line without its newline may still be being written by another process: it is
    // read if it reads, and otherwise left without a warning.
    Result<void> scan(const std::function<void(const Attempt&)>& visit, std::vector<HistoryWarning>& warnings,
                      AnswerText answer = AnswerText::Read) const;

    // The same, with the history split into parts that are read at once, each but the first on
    // a thread of its own: `visit(part, attempt)` sees the attempts of each part in file order,
    // and is called for different parts at the same time. Warnings come back in file order.
    Result<void> scan_parts(const HistorySplit& split, HistoryFields fields,
                            const std::function<void(std::size_t part, const AttemptView&)>& visit,
                            std::vector<HistoryWarning>& warnings) const;

private:
    FileSystem& files_;
    std::string path_;
};

inline constexpr std::string_view kHistoryFileName = "history.jsonl";

}  // namespace ehrprep
