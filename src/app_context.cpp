#include "ehrprep/app_context.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>

#include <fmt/format.h>

#include "ehrprep/embedded_bank.hpp"

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

std::optional<QuestionBank> load_bank(AppContext& ctx, const GlobalOptions& options, std::string* source_name) {
    std::optional<std::string> path = options.bank_path;
    if (!path) {
        if (auto env = lookup(ctx.env, "EHRPREP_BANK"); env && !env->empty()) path = env;
    }
    if (!path) {
        if (source_name != nullptr) *source_name = std::string(kEmbeddedBankName);
        return embedded_bank();
    }
    if (source_name != nullptr) *source_name = *path;
    auto content = ctx.files.read_file(*path);
    if (!content) {
        print_error(ctx, fmt::format("{} (the question bank)", content.error().message));
        return std::nullopt;
    }
    auto bank = parse_question_bank(content.value(), *path);
    if (!bank) {
        for (const std::string& line : bank.error().lines) ctx.console.err << line << '\n';
        return std::nullopt;
    }
    return std::move(bank.value());
}

Result<std::string> data_directory(const AppContext& ctx, const GlobalOptions& options) {
    if (options.data_dir && !options.data_dir->empty()) return *options.data_dir;
    if (auto home = lookup(ctx.env, "EHRPREP_HOME"); home && !home->empty()) return *home;
    // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    if (auto xdg = lookup(ctx.env, "XDG_DATA_HOME"); xdg && !xdg->empty() && xdg->front() == '/')
        return *xdg + "/ehrprep";
    if (auto home = lookup(ctx.env, "HOME"); home && !home->empty()) return *home + "/.local/share/ehrprep";
    return Error{"cannot tell where to keep data: set HOME, XDG_DATA_HOME or EHRPREP_HOME, or pass --data-dir"};
}

void print_history_warnings(AppContext& ctx, const std::string& path, const std::vector<HistoryWarning>& warnings) {
    constexpr std::size_t kShown = 5;
    for (std::size_t k = 0; k < std::min(kShown, warnings.size()); ++k)
        print_warning(ctx, fmt::format("{}:{}: skipped: {}", path, warnings[k].line, warnings[k].message));
    if (warnings.size() > kShown)
        print_warning(ctx, fmt::format("{}: and {} more unreadable lines skipped", path, warnings.size() - kShown));
}

void print_error(AppContext& ctx, std::string_view message) { ctx.console.err << "ehrprep: " << message << '\n'; }

void print_warning(AppContext& ctx, std::string_view message) {
    ctx.console.err << "ehrprep: warning: " << message << '\n';
}

}  // namespace ehrprep
