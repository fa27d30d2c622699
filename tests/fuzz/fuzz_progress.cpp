// A history of several lines as stats and report read it: folding old sessions through a small
// window, in one part or two, gives the very report that keeps every session open, or says
// the history must be read again. It never gives a wrong one. The first byte picks the window
// and where the history is split; the rest is history.jsonl.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/progress.hpp"
#include "ehrprep/report_json.hpp"

namespace {

// A bound on lines, so that an input is judged in milliseconds.
constexpr std::size_t kMaxLines = 400;

const ehrprep::QuestionBank& bank() {
    static const ehrprep::QuestionBank b = ehrprep::embedded_bank();
    return b;
}

std::optional<std::string> report(const std::vector<ehrprep::Attempt>& attempts, ehrprep::ProgressDetail detail,
                                  std::optional<std::size_t> window, std::size_t cut) {
    ehrprep::ProgressBuilder first(bank(), {}, {}, detail, window);
    ehrprep::ProgressBuilder later = first.part();
    for (std::size_t k = 0; k < attempts.size(); ++k) (k < cut ? first : later).add(attempts[k]);
    first.merge(std::move(later));
    if (first.needs_second_reading()) return std::nullopt;
    const ehrprep::Timestamp now = ehrprep::parse_utc("2026-11-30T09:15:00Z").value();
    return ehrprep::render_json(std::move(first).finish(ehrprep::Date{std::chrono::floor<std::chrono::days>(now)}, now));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t choice = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::vector<ehrprep::Attempt> attempts;
    for (std::size_t at = 0; at < text.size() && attempts.size() < kMaxLines;) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        ehrprep::Attempt attempt;
        if (ehrprep::parse_attempt(text.substr(at, end - at), attempt, ehrprep::AnswerText::Skip)) attempts.push_back(attempt);
        at = end + 1;
    }
    if (attempts.empty()) return 0;
    const std::size_t window = 1 + (choice & 3);
    const std::size_t cut = (choice >> 2) % (attempts.size() + 1);
    for (const auto detail : {ehrprep::ProgressDetail::Full, ehrprep::ProgressDetail::Summary}) {
        const std::optional<std::string> whole = report(attempts, detail, std::nullopt, attempts.size());
        if (!whole) __builtin_trap();  // with no window, nothing is ever out of order
        if (report(attempts, detail, std::nullopt, cut) != whole) __builtin_trap();
        const std::optional<std::string> folded = report(attempts, detail, window, cut);
        if (folded && *folded != *whole) __builtin_trap();
    }
    return 0;
}
