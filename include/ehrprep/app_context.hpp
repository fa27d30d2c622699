#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "ehrprep/platform.hpp"
#include "ehrprep/result.hpp"
#include "ehrprep/style.hpp"

namespace ehrprep {

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
    std::size_t max_reviews = 20;                    // --max-reviews: due questions in one review session
};

Style make_style(const AppContext& ctx, const GlobalOptions& options);

// Whether the locale can show Unicode block and check-mark characters.
bool locale_is_utf8(const Environment& env);

// Width to lay text out in: the terminal's, else $COLUMNS, else `fallback`.
std::size_t output_width(const AppContext& ctx, std::size_t fallback);

// Width to wrap text at: output_width() with 80 as the fallback, never wider than the one
// measure every text path shares (kTextMeasure).
std::size_t text_width(const AppContext& ctx);

// Where history and settings live: --data-dir, $EHRPREP_HOME, $XDG_DATA_HOME/ehrprep or
// ~/.local/share/ehrprep. When none of them is set, the user has to say: that is bad input,
// from every command that keeps or reads data.
Result<std::string> data_directory(const AppContext& ctx, const GlobalOptions& options);

// "ehrprep: warning: message" on stderr.
void print_warning(AppContext& ctx, std::string_view message);

}  // namespace ehrprep
