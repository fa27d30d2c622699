#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "ehrprep/history.hpp"
#include "ehrprep/platform.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

// Exit statuses, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     // an I/O failure while doing what was asked
inline constexpr int kExitBadInput = 2;    // bad arguments, a bad bank, an unknown id, an unreadable input
inline constexpr int kExitInterrupted = 130;

struct Console {
    std::ostream& out;
    std::ostream& err;
    std::istream& in;
    bool out_is_terminal = false;
    bool in_is_terminal = false;
    std::size_t columns = 0;  // of the terminal on stdout; 0 when unknown
};

// Everything a command may touch, passed in so that tests can drive commands directly.
struct AppContext {
    Console console;
    FileSystem& files;
    Clock& clock;
    Environment env;
    // Fresh randomness from the platform, for a quiz's order when no --seed is given.
    std::uint64_t entropy = 0;
};

struct GlobalOptions {
    std::optional<std::string> bank_path;  // --bank, else EHRPREP_BANK, else the built-in bank
    ColorMode color = ColorMode::Auto;
    std::optional<std::string> data_dir;   // --data-dir, else EHRPREP_HOME, else XDG
    std::optional<double> retention;                // --retention: FSRS desired retention
    std::optional<std::string> rating_thresholds;   // --rating-thresholds HARD,GOOD,EASY
};

Style make_style(const AppContext& ctx, const GlobalOptions& options);

// Whether the locale can show Unicode block and check-mark characters.
bool locale_is_utf8(const Environment& env);

// Width to lay text out in: the terminal's, else $COLUMNS, else `fallback`.
std::size_t output_width(const AppContext& ctx, std::size_t fallback);

// Prints each problem to stderr and returns nullopt when the bank cannot be used.
std::optional<QuestionBank> load_bank(AppContext& ctx, const GlobalOptions& options, std::string* source_name = nullptr);

// Where history and settings live: --data-dir, $EHRPREP_HOME, $XDG_DATA_HOME/ehrprep or
// ~/.local/share/ehrprep.
Result<std::string> data_directory(const AppContext& ctx, const GlobalOptions& options);

// One warning per unreadable history line, naming the file and line, the first few only.
void print_history_warnings(AppContext& ctx, const std::string& path, const std::vector<HistoryWarning>& warnings);

// "ehrprep: message" on stderr.
void print_error(AppContext& ctx, std::string_view message);
void print_warning(AppContext& ctx, std::string_view message);

}  // namespace ehrprep
