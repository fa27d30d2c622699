// Timed driver for the bank and the scorer. Not run by CTest: timings belong in reports,
// not in pass/fail checks. Each figure is printed next to its baseline from the same run.
//
//   ehrprep_bench [--runs N] [--before OLD_EHRPREP]
//
// With --before, the whole-process figures are also measured for an older binary, the two
// taking turns, so that a change can be judged on a noisy machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/posix_platform.hpp"
#include "ehrprep/question_bank.hpp"
#include "ehrprep/scorer.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using namespace ehrprep;

// Median seconds per call of `work`, over `runs` samples of `repeat` calls each.
double median_seconds(int runs, int repeat, const std::function<void()>& work) {
    std::vector<double> samples;
    for (int r = 0; r < runs; ++r) {
        auto start = Clock::now();
        for (int i = 0; i < repeat; ++i) work();
        samples.push_back(std::chrono::duration<double>(Clock::now() - start).count() / repeat);
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

std::string human(double seconds) {
    if (seconds < 1e-3) return fmt::format("{:.1f} µs", seconds * 1e6);
    if (seconds < 1.0) return fmt::format("{:.2f} ms", seconds * 1e3);
    return fmt::format("{:.2f} s", seconds);
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Runs `argv` with its output discarded and its input from `input` (or /dev/null).
void run_quietly(const std::vector<std::string>& argv, const std::string& input = "/dev/null") {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) == 0) {
        int status = 0;
        waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&actions);
}

std::string generated_bank_json(std::size_t questions) {
    nlohmann::json bank{{"schema_version", 1}, {"title", "Generated"}, {"tiers", nlohmann::json::array()}};
    const std::size_t per_tier = questions / 10;
    for (std::size_t t = 0; t < 10; ++t) {
        nlohmann::json tier{{"id", fmt::format("tier-{}", t)}, {"name", fmt::format("Tier {}", t)},
                            {"questions", nlohmann::json::array()}};
        for (std::size_t q = 0; q < per_tier; ++q) {
            tier["questions"].push_back(
                {{"id", fmt::format("t{}-q{}", t, q)},
                 {"question", fmt::format("How would you handle situation number {} in tier {}?", q, t)},
                 {"hint", "A strong answer covers encryption, audit logging, access control and interoperability."},
                 {"concepts",
                  {{{"label", "encryption"}, {"any", {"encryption", "encrypt data", "TLS"}}},
                   {{"label", "audit logging"}, {"weight", 2}, {"any", {"audit log", "audit trail", "access log"}}}}}});
        }
        bank["tiers"].push_back(std::move(tier));
    }
    return bank.dump(2);
}

std::string words_from(const std::vector<std::string>& texts, std::size_t count) {
    std::string out;
    std::size_t words = 0;
    for (std::size_t i = 0; words < count; ++i) {
        const std::string& text = texts[i % texts.size()];
        for (std::size_t pos = 0; pos < text.size() && words < count;) {
            std::size_t end = text.find(' ', pos);
            if (end == std::string::npos) end = text.size();
            out.append(text, pos, end - pos).push_back(' ');
            ++words;
            pos = end + 1;
        }
    }
    return out;
}

// The simplest scorer one could write: a concept counts when any phrasing occurs verbatim
// (case-folded) in the answer. The baseline the real matcher's cost is compared with.
double naive_substring_coverage(const QuestionBank& bank, std::size_t index, std::string answer) {
    std::transform(answer.begin(), answer.end(), answer.begin(), [](unsigned char c) { return std::tolower(c); });
    double covered = 0.0;
    double total = 0.0;
    for (const Concept& c : bank.questions()[index].concepts) {
        total += c.weight;
        for (std::string phrasing : c.phrasings) {
            std::transform(phrasing.begin(), phrasing.end(), phrasing.begin(),
                           [](unsigned char ch) { return std::tolower(ch); });
            if (answer.find(phrasing) != std::string::npos) {
                covered += c.weight;
                break;
            }
        }
    }
    return covered / total;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 7;
    std::string before;
    for (int k = 1; k + 1 < argc; k += 2) {
        if (std::strcmp(argv[k], "--runs") == 0) runs = std::max(1, std::atoi(argv[k + 1]));
        if (std::strcmp(argv[k], "--before") == 0) before = argv[k + 1];
    }
    fmt::print("ehrprep bench: medians of {} runs\n\n", runs);

    // Bank loading.
    PosixFileSystem files;
    const std::string bank_text = files.read_file(EHRPREP_SOURCE_DIR "/data/questions.json", std::size_t{1} << 30).value();
    volatile std::size_t sink = 0;
    const double embedded = median_seconds(runs, 200, [&] { sink = sink + embedded_bank().questions().size(); });
    const double parsed = median_seconds(runs, 20, [&] {
        sink = sink + parse_question_bank(bank_text, "questions.json").value().questions().size();
    });
    const double dom_only = median_seconds(runs, 20, [&] { sink = sink + nlohmann::json::parse(bank_text).size(); });
    fmt::print("bank: built-in bank ready to use          {:>10}\n", human(embedded));
    fmt::print("bank: parse + validate questions.json     {:>10}   (baseline: JSON parse alone {}, x{:.2f})\n",
               human(parsed), human(dom_only), parsed / dom_only);

    const long rss_before = peak_rss_kib();
    const std::string big = generated_bank_json(100000);
    const double big_load = median_seconds(std::min(runs, 3), 1, [&] {
        sink = sink + parse_question_bank(big, "generated.json").value().questions().size();
    });
    const double big_dom = median_seconds(std::min(runs, 3), 1, [&] { sink = sink + nlohmann::json::parse(big).size(); });
    fmt::print("bank: 100,000 questions ({:.1f} MB)        {:>10}   (baseline: JSON parse alone {}, x{:.2f})\n",
               static_cast<double>(big.size()) / 1e6, human(big_load), human(big_dom), big_load / big_dom);
    fmt::print("bank: peak memory {} MiB (before the 100,000-question bank: {} MiB)\n", peak_rss_kib() / 1024,
               rss_before / 1024);

    // Whole processes: start-up, and scoring one 300-word answer against start-up.
    const QuestionBank bank = embedded_bank();
    std::vector<std::string> hints;
    for (const Question& q : bank.questions()) hints.push_back(q.hint);
    const std::size_t fhir = *bank.question_index("beginner-2");
    const std::string answer300 = words_from({bank.questions()[fhir].hint, hints[10], hints[30]}, 300);
    char answer_path[] = "/tmp/ehrprep-bench-answer-XXXXXX";
    const int answer_fd = ::mkstemp(answer_path);
    if (answer_fd < 0 || ::write(answer_fd, answer300.data(), answer300.size()) != static_cast<ssize_t>(answer300.size()))
        return 1;
    ::close(answer_fd);
    std::vector<std::pair<std::string, std::string>> binaries;
    if (!before.empty()) binaries.emplace_back("before", before);
    binaries.emplace_back(before.empty() ? "ehrprep" : "after", EHRPREP_BINARY);
    const double true_time = median_seconds(runs, 10, [] { run_quietly({"/bin/true"}); });
    // Samples of each binary alternate, so that a busy moment of the machine is shared.
    std::vector<std::vector<double>> list_samples(binaries.size()), score_samples(binaries.size());
    for (int r = 0; r < runs; ++r) {
        for (std::size_t b = 0; b < binaries.size(); ++b) {
            const std::string& path = binaries[b].second;
            list_samples[b].push_back(median_seconds(1, 10, [&] { run_quietly({path, "list"}); }));
            score_samples[b].push_back(median_seconds(1, 10, [&] {
                run_quietly({path, "score", "-q", "beginner-2"}, answer_path);
            }));
        }
    }
    ::unlink(answer_path);
    auto median_of = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    for (std::size_t b = 0; b < binaries.size(); ++b) {
        const double list_time = median_of(list_samples[b]);
        const double score_time = median_of(score_samples[b]);
        fmt::print("cli:  {:<6} ehrprep list (whole process)  {:>10}   (baseline: /bin/true {}, x{:.2f})\n",
                   binaries[b].first, human(list_time), human(true_time), list_time / true_time);
        fmt::print("cli:  {:<6} score -q beginner-2, 300 words {:>9}   (baseline: ehrprep list {}, x{:.2f})\n",
                   binaries[b].first, human(score_time), human(list_time), score_time / list_time);
    }
    fmt::print("\n");

    // Scoring.
    const double compile = median_seconds(runs, 5, [&] {
        Scorer fresh(bank, "bank");
        fresh.prepare_all();
        sink = sink + fresh.vocabulary_size();
    });
    const double compile_one = median_seconds(runs, 50, [&] {
        Scorer fresh(bank, "bank");
        (void)fresh.prepare(fhir);
        sink = sink + fresh.vocabulary_size();
    });
    Scorer scorer(bank, "bank");
    scorer.prepare_all();
    fmt::print("score: compile the bank's concepts        {:>10}   ({} terms)\n", human(compile),
               scorer.vocabulary_size());
    fmt::print("score: compile one question               {:>10}   (x{:.3f} of the whole bank)\n", human(compile_one),
               compile_one / compile);

    const double one = median_seconds(runs, 2000, [&] { sink = sink + scorer.score(answer300, fhir).covered.size(); });
    const double naive_one = median_seconds(runs, 2000, [&] { sink = sink + naive_substring_coverage(bank, fhir, answer300) > 0; });
    fmt::print("score: 300-word answer, one question      {:>10}   (baseline: naive substring scan {}, x{:.2f})\n",
               human(one), human(naive_one), one / naive_one);

    const std::string answer10k = words_from(hints, 10000);
    const double all = median_seconds(runs, 10, [&] {
        AnalyzedAnswer analysis = scorer.analyze(answer10k);
        for (std::size_t i = 0; i < bank.questions().size(); ++i) sink = sink + scorer.score(analysis, i).covered.size();
    });
    const double naive_all = median_seconds(runs, 10, [&] {
        for (std::size_t i = 0; i < bank.questions().size(); ++i) sink = sink + naive_substring_coverage(bank, i, answer10k) > 0;
    });
    fmt::print("score: 10,000-word answer, all 50         {:>10}   (baseline: naive substring scan {}, x{:.2f})\n",
               human(all), human(naive_all), all / naive_all);
    return 0;
}
