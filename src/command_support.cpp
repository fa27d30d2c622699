#include "ehrprep/command_support.hpp"

#include <algorithm>
#include <ostream>
#include <thread>

#include <fmt/format.h>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/safe_text.hpp"

namespace ehrprep {

int end_command(AppContext& ctx, const Result<void>& outcome) {
    // Output that never arrived is a failure, whatever the command made of its work: a listing
    // sent to a full disk must not look like one that was written.
    ctx.console.out.flush();
    const bool output_lost = !ctx.console.out;
    if (outcome && !output_lost) return kExitOk;
    // Messages quote ids, paths and values from the bank, the history and the command line.
    if (!outcome) {
        const Error& error = outcome.error();
        if (!error.message.empty()) ctx.console.err << "ehrprep: " << terminal_safe(error.message) << '\n';
        for (const std::string& line : error.located) ctx.console.err << terminal_safe(line) << '\n';
    }
    if (output_lost) {
        ctx.console.err << "ehrprep: cannot write to standard output\n";
        if (outcome || outcome.error().exit_status == kExitOk) return kExitFailure;
    }
    return outcome ? kExitFailure : outcome.error().exit_status;
}

Result<QuestionBank> load_bank(AppContext& ctx, const GlobalOptions& options, std::string* source_name) {
    std::optional<std::string> path = options.bank_path;
    if (!path) {
        if (auto env = lookup(ctx.env, "EHRPREP_BANK"); env && !env->empty()) path = env;
    }
    if (!path) {
        if (source_name != nullptr) *source_name = std::string(kEmbeddedBankName);
        return embedded_bank();
    }
    if (source_name != nullptr) *source_name = *path;
    auto content = ctx.files.read_file(*path, kMaxBankBytes);
    if (!content) return Error{fmt::format("{} (the question bank)", content.error().message), kExitBadInput};
    if (content->size() > kMaxBankBytes)
        return Error{fmt::format("cannot read {}: larger than {} MiB, the most a question bank may be", *path,
                                 kMaxBankBytes >> 20)};
    auto bank = parse_question_bank(content.value(), *path);
    if (!bank) return bank_error(std::move(bank).error());
    return std::move(bank.value());
}

Error bank_error(BankProblems problems) { return Error{{}, kExitBadInput, std::move(problems.lines)}; }

Result<std::vector<std::string>> resolve_tiers(const QuestionBank& bank, const std::vector<std::string>& names) {
    std::vector<std::string> ids;
    for (const std::string& name : names) {
        auto id = bank.resolve_tier(name);
        if (!id) return std::move(id).error();
        if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    }
    return ids;
}

Result<ReviewSettings> review_settings(const GlobalOptions& global) {
    ReviewSettings settings;
    if (global.retention) settings.fsrs.desired_retention = *global.retention;
    if (global.rating_thresholds) {
        auto thresholds = parse_rating_thresholds(*global.rating_thresholds);
        if (!thresholds) return std::move(thresholds).error();
        settings.thresholds = *thresholds;
    }
    return settings;
}

Result<std::string> history_path(const AppContext& ctx, const GlobalOptions& global) {
    auto dir = data_directory(ctx, global);
    if (!dir) return std::move(dir).error();
    return *dir + "/" + std::string(kHistoryFileName);
}

namespace {

void warn_about(AppContext& ctx, const std::string& path, const std::vector<HistoryWarning>& warnings) {
    constexpr std::size_t kShown = 5;
    for (std::size_t k = 0; k < std::min(kShown, warnings.size()); ++k)
        print_warning(ctx, fmt::format("{}:{}: skipped: {}", path, warnings[k].line, warnings[k].message));
    if (warnings.size() > kShown)
        print_warning(ctx, fmt::format("{}: and {} more unreadable lines skipped", path, warnings.size() - kShown));
}

}  // namespace

Result<void> scan_history(AppContext& ctx, const std::string& path, const std::function<void(const Attempt&)>& visit,
                          AnswerText answer) {
    HistoryStore store(ctx.files, path);
    std::vector<HistoryWarning> warnings;
    auto scanned = store.scan(visit, warnings, answer);
    warn_about(ctx, path, warnings);
    return scanned;
}

std::size_t history_reading_parts() { return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8); }

Result<void> scan_history_parts(AppContext& ctx, const std::string& path, std::size_t parts, HistoryFields fields,
                                const std::function<void(std::size_t part, const AttemptView&)>& visit) {
    HistoryStore store(ctx.files, path);
    std::vector<HistoryWarning> warnings;
    auto scanned = store.scan_parts(HistorySplit{parts}, fields, visit, warnings);
    warn_about(ctx, path, warnings);
    return scanned;
}

UtcOffset utc_offset(AppContext& ctx) {
    return UtcOffset([&clock = ctx.clock](Timestamp at) { return clock.utc_offset(at); });
}

LocalTime local_time(AppContext& ctx, Timestamp now) { return LocalTime(now, utc_offset(ctx)); }

Result<std::vector<QuestionSchedule>> load_schedules(AppContext& ctx, const GlobalOptions& global,
                                                     const QuestionBank& bank, const ReviewSettings& settings,
                                                     Timestamp now) {
    auto path = history_path(ctx, global);
    if (!path) return std::move(path).error();
    const std::size_t parts = history_reading_parts();
    std::vector<ReviewScheduleBuilder> builders;
    builders.reserve(parts);
    builders.emplace_back(bank, settings);
    for (std::size_t k = 1; k < parts; ++k) builders.push_back(builders.front().part());
    auto scanned = scan_history_parts(ctx, *path, parts, HistoryFields{false, false, false},
                                      [&](std::size_t part, const AttemptView& attempt) { builders[part].add(attempt); });
    if (!scanned) return std::move(scanned).error();
    for (std::size_t k = 1; k < parts; ++k) builders.front().merge(std::move(builders[k]));
    return builders.front().finish(now);
}

}  // namespace ehrprep
