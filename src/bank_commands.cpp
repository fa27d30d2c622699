#include "ehrprep/bank_commands.hpp"

#include <algorithm>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/answer_source.hpp"
#include "ehrprep/command_support.hpp"
#include "ehrprep/coverage_view.hpp"
#include "ehrprep/scorer.hpp"
#include "ehrprep/safe_text.hpp"
#include "ehrprep/text_layout.hpp"
#include "ehrprep/utf8.hpp"
#include "ehrprep/tokenizer.hpp"

namespace ehrprep {
namespace {

using OrderedJson = nlohmann::ordered_json;

OrderedJson question_json(const QuestionBank& bank, const Question& q) {
    const Tier* tier = bank.find_tier(q.tier_id);
    OrderedJson concepts = OrderedJson::array();
    for (const Concept& c : q.concepts) {
        OrderedJson entry{{"label", c.label}, {"weight", c.weight}, {"any", c.phrasings}};
        if (!c.tip.empty()) entry["tip"] = c.tip;
        concepts.push_back(std::move(entry));
    }
    return OrderedJson{{"id", q.id},
                       {"tier", q.tier_id},
                       {"tier_name", tier ? tier->name : q.tier_id},
                       {"time_limit_seconds", tier ? tier->time_limit_seconds : 0},
                       {"question", q.text},
                       {"hint", q.hint},
                       {"example", q.example.empty() ? OrderedJson(nullptr) : OrderedJson(q.example)},
                       {"concepts", concepts}};
}

std::string format_minutes(int seconds) {
    if (seconds % 60 == 0) return fmt::format("{} min", seconds / 60);
    return fmt::format("{}:{:02} min", seconds / 60, seconds % 60);
}

Result<void> overview(AppContext& ctx, const GlobalOptions& global) {
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    Style style = make_style(ctx, global);
    std::ostream& out = ctx.console.out;
    out << style.bold(terminal_safe(bank->title())) << "\n\n";
    std::size_t name_width = 4;
    for (const Tier& tier : bank->tiers()) name_width = std::max(name_width, display_width(terminal_safe(tier.name)));
    for (const Tier& tier : bank->tiers()) {
        out << fmt::format("  {}  {:>3} questions  {} per question  (--tier {})\n",
                           pad_to_width(terminal_safe(tier.name), name_width), bank->count_in_tier(tier.id),
                           format_minutes(tier.time_limit_seconds), terminal_safe(tier.id));
    }
    out << fmt::format("  {}  {:>3} questions\n\n", pad_to_width("All", name_width), bank->questions().size());
    out << "Start practising:  ehrprep quiz            (5 questions, mixed tiers)\n"
           "                   ehrprep quiz --tier beginner -n 3\n"
           "Browse:            ehrprep list   |   ehrprep show " << terminal_safe(bank->questions().front().id) << " --hint\n"
           "More:              ehrprep --help\n";
    return {};
}

Result<void> list(AppContext& ctx, const GlobalOptions& global, const ListOptions& options) {
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    auto tiers = resolve_tiers(*bank, options.tiers);
    if (!tiers) return std::move(tiers).error();
    std::vector<const Question*> chosen;
    for (const Question& q : bank->questions())
        if (tier_selected(*tiers, q.tier_id)) chosen.push_back(&q);

    if (options.format == "json") {
        OrderedJson array = OrderedJson::array();
        for (const Question* q : chosen) array.push_back(question_json(*bank, *q));
        ctx.console.out << array.dump(2) << '\n';
        return {};
    }
    Style style = make_style(ctx, global);
    std::size_t tier_width = 4;
    std::size_t id_width = 2;
    for (const Question* q : chosen) {
        const Tier* tier = bank->find_tier(q->tier_id);
        tier_width = std::max(tier_width, display_width(terminal_safe(tier->name)));
        id_width = std::max(id_width, display_width(terminal_safe(q->id)));
    }
    // Off a terminal nothing is cut unless $COLUMNS asks for it, so scripts see whole questions.
    const std::size_t width = output_width(ctx, 0);
    const std::size_t used = tier_width + id_width + 4;
    const bool ascii = !locale_is_utf8(ctx.env);
    auto fit = [&](const std::string& text) {
        return width > used + 10 ? truncate_to_width(text, width - used, ascii) : text;
    };
    ctx.console.out << style.bold(pad_to_width("TIER", tier_width) + "  " + pad_to_width("ID", id_width) + "  QUESTION")
                    << '\n';
    for (const Question* q : chosen) {
        ctx.console.out << pad_to_width(terminal_safe(bank->find_tier(q->tier_id)->name), tier_width) << "  "
                        << style.cyan(pad_to_width(terminal_safe(q->id), id_width)) << "  " << fit(terminal_safe(q->text))
                        << '\n';
    }
    return {};
}

Result<void> show(AppContext& ctx, const GlobalOptions& global, const ShowOptions& options) {
    auto bank = load_bank(ctx, global);
    if (!bank) return std::move(bank).error();
    const Question* q = bank->find_question(options.id);
    if (q == nullptr) return bank->no_such_question(options.id);
    if (options.format == "json") {
        OrderedJson json = question_json(*bank, *q);
        // One question for a script: its points with their tips, without the phrasings that
        // `list --format json` exports; the hint only when asked for, as in text.
        for (OrderedJson& c : json["concepts"]) c.erase("any");
        if (!options.hint) json.erase("hint");
        ctx.console.out << json.dump(2) << '\n';
        return {};
    }
    Style style = make_style(ctx, global);
    const Tier* tier = bank->find_tier(q->tier_id);
    const std::size_t width = text_width(ctx);
    std::ostream& out = ctx.console.out;
    out << style.cyan(terminal_safe(q->id)) << "  " << style.dim(fmt::format("{} · {} to answer", terminal_safe(tier->name),
                                                              format_minutes(tier->time_limit_seconds)))
        << "\n\n";
    for (const std::string& line : wrap_text(terminal_safe(q->text), width)) out << style.bold(line) << '\n';
    if (options.hint) {
        out << '\n' << style.bold("What a great answer covers") << '\n';
        for (const std::string& line : wrap_text(terminal_safe(q->hint), width - 2)) out << "  " << line << '\n';
        out << '\n' << style.bold("Key points") << '\n';
        for (const Concept& c : q->concepts) {
            out << "  - " << terminal_safe(c.label) << (c.weight != 1.0 ? style.dim(fmt::format(" (weight {})", c.weight)) : "")
                << '\n';
            for (const std::string& line : wrap_text(terminal_safe(c.tip), width - 6)) out << "      " << style.dim(line) << '\n';
        }
    }
    if (options.example) {
        out << '\n' << style.bold("An example answer") << '\n';
        if (q->example.empty()) out << style.dim("  This bank has no example answers.") << '\n';
        for (const std::string& line : wrap_text(terminal_safe(q->example), width - 2)) out << "  " << line << '\n';
    }
    return {};
}

Result<void> validate(AppContext& ctx, const GlobalOptions& global, const std::string& path) {
    GlobalOptions options = global;
    options.bank_path = path;
    std::string source;
    auto not_valid = [&](Error error) {
        error.located.push_back(fmt::format("{}: the bank is not valid", path));
        return error;
    };
    auto bank = load_bank(ctx, options, &source);
    if (!bank) return not_valid(std::move(bank).error());
    if (auto checked = Scorer::check(*bank, source); !checked) return not_valid(bank_error(std::move(checked).error()));
    Style style = make_style(ctx, global);
    std::size_t concepts = 0;
    for (const Question& q : bank->questions()) concepts += q.concepts.size();
    ctx.console.out << fmt::format("{}: {} \"{}\": {} tiers, {} questions, {} concepts\n", terminal_safe(path),
                                   style.green("valid"), terminal_safe(bank->title()), bank->tiers().size(),
                                   bank->questions().size(), concepts);
    for (const Tier& tier : bank->tiers())
        ctx.console.out << fmt::format("  {:<16} {:>4} questions  ({})\n", terminal_safe(tier.id),
                                       bank->count_in_tier(tier.id), terminal_safe(tier.name));
    return {};
}

Result<void> score(AppContext& ctx, const GlobalOptions& global, const ScoreOptions& options) {
    std::string source;
    auto bank = load_bank(ctx, global, &source);
    if (!bank) return std::move(bank).error();
    auto index = bank->question_index(options.question_id);
    if (!index) return bank->no_such_question(options.question_id);
    std::string answer;
    std::string answer_source = "stdin";
    if (options.answer_file && *options.answer_file != "-") {
        auto content = ctx.files.read_file(*options.answer_file, kMaxAnswerBytes);
        // The answer is the user's input: a file that cannot be read is bad input.
        if (!content) return Error{content.error().message, kExitBadInput};
        answer = std::move(content.value());
        answer_source = *options.answer_file;
    } else {
        // One byte past the limit tells a long answer from one that fits; the rest is never read.
        answer.resize(kMaxAnswerBytes + 1);
        ctx.console.in.read(answer.data(), static_cast<std::streamsize>(answer.size()));
        answer.resize(static_cast<std::size_t>(ctx.console.in.gcount()));
    }
    if (answer.size() > kMaxAnswerBytes) {
        answer.resize(utf8_prefix_length(answer, kMaxAnswerBytes));
        print_warning(ctx, fmt::format("{}: the answer is longer than {} KiB: only the first {} KiB is scored",
                                       terminal_safe(answer_source), kMaxAnswerBytes / 1024, kMaxAnswerBytes / 1024));
    }
    Utf8Repair repaired = repair_utf8(answer);
    if (repaired.invalid_sequences > 0) {
        print_warning(ctx, fmt::format("{}: {} invalid UTF-8 sequence{} (first at byte {}) replaced with U+FFFD",
                                       answer_source, repaired.invalid_sequences,
                                       repaired.invalid_sequences == 1 ? "" : "s", repaired.first_invalid_byte));
    }
    // Only the question being scored is compiled: the rest of the bank is never read.
    Scorer scorer(*bank, source);
    if (auto prepared = scorer.prepare(*index); !prepared) return bank_error(std::move(prepared).error());
    CoverageResult result = scorer.score(repaired.text, *index);
    const Question& question = bank->questions()[*index];
    InsightRequest request;
    request.story = is_story_tier(question.tier_id);
    const AnswerInsights insights = analyze_insights(repaired.text, request);
    if (options.format == "json") {
        ctx.console.out << coverage_json(result, &insights) << '\n';
        return {};
    }
    Style style = make_style(ctx, global);
    ctx.console.out << render_coverage(result, question, style, text_width(ctx),
                                       locale_is_utf8(ctx.env), &insights);
    return {};
}

}  // namespace

int run_overview(AppContext& ctx, const GlobalOptions& global) { return end_command(ctx, overview(ctx, global)); }

int run_list(AppContext& ctx, const GlobalOptions& global, const ListOptions& options) {
    return end_command(ctx, list(ctx, global, options));
}

int run_show(AppContext& ctx, const GlobalOptions& global, const ShowOptions& options) {
    return end_command(ctx, show(ctx, global, options));
}

int run_bank_validate(AppContext& ctx, const GlobalOptions& global, const std::string& path) {
    return end_command(ctx, validate(ctx, global, path));
}

int run_score(AppContext& ctx, const GlobalOptions& global, const ScoreOptions& options) {
    return end_command(ctx, score(ctx, global, options));
}

}  // namespace ehrprep
