#include "ehrprep/app_context.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>

#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"

namespace ehrprep {

Style make_style(const AppContext& ctx, const GlobalOptions& options) {
    auto no_color = lookup(ctx.env, "NO_COLOR");
    return Style(should_use_color(options.color, ctx.console.out_is_terminal, no_color && !no_color->empty()));
}

bool locale_is_utf8(const Environment& env) {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        auto value = lookup(env, name);
        if (!value || value->empty()) continue;
        std::string lower(*value);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
    }
    return false;
}

std::size_t output_width(const AppContext& ctx, std::size_t fallback) {
    if (ctx.console.out_is_terminal && ctx.console.columns > 0) return ctx.console.columns;
    if (auto columns = lookup(ctx.env, "COLUMNS")) {
        try {
            int value = std::stoi(*columns);
            if (value > 0) return static_cast<std::size_t>(value);
        } catch (const std::exception&) {
        }
    }
    return fallback;
}

std::size_t text_width(const AppContext& ctx) { return std::min(output_width(ctx, 80), kTextMeasure); }

Result<std::string> data_directory(const AppContext& ctx, const GlobalOptions& options) {
    if (options.data_dir && !options.data_dir->empty()) return *options.data_dir;
    if (auto home = lookup(ctx.env, "EHRPREP_HOME"); home && !home->empty()) return *home;
    // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    if (auto xdg = lookup(ctx.env, "XDG_DATA_HOME"); xdg && !xdg->empty() && xdg->front() == '/')
        return *xdg + "/ehrprep";
    if (auto home = lookup(ctx.env, "HOME"); home && !home->empty()) return *home + "/.local/share/ehrprep";
    return Error{"cannot tell where to keep data: set HOME, XDG_DATA_HOME or EHRPREP_HOME, or pass --data-dir",
                 kExitBadInput};
}

void print_warning(AppContext& ctx, std::string_view message) {
    // Warnings quote lines of the history and values of the bank.
    ctx.console.err << "ehrprep: warning: " << terminal_safe(message) << '\n';
}

}  // namespace ehrprep
