// Times the real `ehrprep stats` and `ehrprep report --format json` on generated histories of
// 100,000 and 1,000,000 attempts with answers of about 300 words, each figure next to its
// baseline from the same run: `wc -l` on the same file for stats, stats for the JSON report.
// Peak memory is given for the 1M history in 200,000 sessions and in 1,000, to show whether it
// grows with the number of sessions.
//
//   ehrprep_progress_bench [--runs N] [--keep DIR] [--before OLD_EHRPREP] [EHRPREP]
//
// With --before, every figure is measured for both binaries in the same run, runs alternating,
// and the ratio of the new to the old is given. With --keep the histories are kept in DIR (and
// reused when present), since generating the larger one takes longer than measuring it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/quiz_session.hpp"

namespace {

struct Measurement {
    double seconds = 0;
    long peak_rss_kb = 0;
    int status = 0;
};

Measurement run(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::setenv("LANG", "C.UTF-8", 1);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Measurement m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.peak_rss_kb = usage.ru_maxrss;
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return m;
}

// About 300 words drawn from clinical-informatics vocabulary, different per variant.
std::string make_answer(std::mt19937& rng) {
    static const std::vector<std::string> words = {
        "FHIR", "interoperability", "the", "patient", "record", "HL7", "API", "clinical", "data", "model",
        "privacy", "HIPAA", "audit", "logging", "encryption", "workflow", "clinicians", "validation", "bias",
        "deployment", "monitoring", "and", "with", "we", "would", "pipeline", "notes", "NLP", "extraction",
        "\"quoted\"", "résumé", "naïve", "dose", "mg", "ICD-10", "SNOMED", "LOINC", "RxNorm", "a", "of", "to"};
    std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
    std::uniform_int_distribution<int> length(260, 340);
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
        if (k) text += (k % 17 == 0) ? ". " : " ";
        text += words[pick(rng)];
    }
    return text;
}

void generate(const std::string& path, std::size_t attempts, std::size_t per_session) {
    const ehrprep::QuestionBank bank = ehrprep::embedded_bank();
    std::mt19937 rng(42);
    std::vector<std::string> answers;
    for (int k = 0; k < 64; ++k) answers.push_back(make_answer(rng));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::ofstream out(path, std::ios::binary);
    ehrprep::Timestamp t{std::chrono::seconds{1'735'689'600}};  // 2025-01-01
    const auto& questions = bank.questions();
    std::string buffer;
    std::string session_id;
    for (std::size_t k = 0; k < attempts; ++k) {
        const std::size_t session = k / per_session;
        if (k % per_session == 0) {
            t += std::chrono::hours{3};
            session_id = ehrprep::make_session_id(t, session);  // as a quiz names it, 21 bytes
        }
        const ehrprep::Question& q = questions[(k * 7 + session) % questions.size()];
        ehrprep::Attempt a;
        a.session_id = session_id;
        a.question_id = q.id;
        a.tier_id = q.tier_id;
        a.started_at = t + std::chrono::seconds{static_cast<long>(k % per_session % 50) * 200};
        a.seconds = 60 + 120 * unit(rng);
        const double roll = unit(rng);
        a.outcome = roll < 0.9 ? ehrprep::Outcome::Answered : roll < 0.95 ? ehrprep::Outcome::TimedOut
                                                                           : ehrprep::Outcome::Skipped;
        for (const ehrprep::Concept& c : q.concepts) (unit(rng) < 0.6 ? a.covered : a.missed).push_back(c.label);
        a.coverage = a.outcome == ehrprep::Outcome::Skipped
                         ? 0.0
                         : static_cast<double>(a.covered.size()) / static_cast<double>(q.concepts.size());
        if (a.outcome != ehrprep::Outcome::Skipped) a.answer = answers[k % answers.size()];
        buffer += ehrprep::serialize_attempt(a);
        buffer += '\n';
        if (buffer.size() > (1 << 20)) {
            out << buffer;
            buffer.clear();
        }
    }
    out << buffer;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct Figure {
    double seconds = 0;
    long peak_kb = 0;
};

// Medians of `runs` runs of each command, the commands taking turns so that a noisy neighbour
// slows them alike, after one run each to warm the page cache.
std::vector<Figure> measure(const std::vector<std::vector<std::string>>& commands, int runs) {
    for (const auto& command : commands) run(command);
    std::vector<std::vector<double>> times(commands.size());
    std::vector<Figure> figures(commands.size());
    for (int r = 0; r < runs; ++r) {
        for (std::size_t c = 0; c < commands.size(); ++c) {
            const Measurement m = run(commands[c]);
            if (m.status != 0) {
                std::fprintf(stderr, "%s ... exited with %d\n", commands[c][0].c_str(), m.status);
                std::exit(1);
            }
            times[c].push_back(m.seconds);
            figures[c].peak_kb = std::max(figures[c].peak_kb, m.peak_rss_kb);
        }
    }
    for (std::size_t c = 0; c < commands.size(); ++c) figures[c].seconds = median(times[c]);
    return figures;
}

std::string history_in(const std::string& root, std::size_t attempts, std::size_t per_session, bool keep) {
    const std::string dir = root + "/h" + std::to_string(attempts) + "-" + std::to_string(per_session);
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/history.jsonl";
    const auto start = std::chrono::steady_clock::now();
    if (!keep || !std::filesystem::exists(path)) generate(path, attempts, per_session);
    std::printf("history: %zu attempts in %zu sessions, %.0f MB (ready in %.1f s)\n", attempts,
                attempts / per_session, static_cast<double>(std::filesystem::file_size(path)) / 1e6,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return dir;
}

double mb(long kb) { return static_cast<double>(kb) / 1024.0; }

}  // namespace

int main(int argc, char** argv) {
    std::string binary = EHRPREP_BINARY;
    std::string before;
    std::string keep_dir;
    int runs = 5;
    for (int k = 1; k < argc; ++k) {
        const std::string arg = argv[k];
        if (arg == "--runs" && k + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++k]));
        } else if (arg == "--keep" && k + 1 < argc) {
            keep_dir = argv[++k];
        } else if (arg == "--before" && k + 1 < argc) {
            before = argv[++k];
        } else if (arg.rfind("--", 0) != 0) {
            binary = arg;
        } else {
            std::fprintf(stderr, "usage: ehrprep_progress_bench [--runs N] [--keep DIR] [--before OLD_EHRPREP] [EHRPREP]\n");
            return 2;
        }
    }
    char pattern[] = "/tmp/ehrprep-bench-XXXXXX";
    const bool keep = !keep_dir.empty();
    if (!keep && ::mkdtemp(pattern) == nullptr) return 1;
    const std::string root = keep ? keep_dir : pattern;

    std::vector<std::pair<std::string, std::string>> binaries;
    if (!before.empty()) binaries.emplace_back("before", before);
    binaries.emplace_back(before.empty() ? "ehrprep" : "after", binary);
    std::printf("medians of %d runs, taking turns; the baseline of each figure is from the same run\n\n", runs);

    // stats and report --format json on each history, with wc -l on the same file.
    struct Row {
        Figure wc, stats[2], json[2];
    };
    std::vector<Row> rows;
    for (std::size_t attempts : {std::size_t{100'000}, std::size_t{1'000'000}}) {
        const std::string dir = history_in(root, attempts, 5, keep);
        std::vector<std::vector<std::string>> commands{{"/usr/bin/wc", "-l", dir + "/history.jsonl"}};
        for (const auto& [name, path] : binaries) {
            commands.push_back({path, "--data-dir", dir, "stats"});
            commands.push_back({path, "--data-dir", dir, "report", "--format", "json"});
        }
        const std::vector<Figure> f = measure(commands, runs);
        Row row{f[0], {}, {}};
        std::printf("  wc -l                     %9zu attempts: %.3f s\n", attempts, f[0].seconds);
        for (std::size_t b = 0; b < binaries.size(); ++b) {
            const Figure& stats = f[1 + 2 * b];
            const Figure& json = f[2 + 2 * b];
            row.stats[b] = stats;
            row.json[b] = json;
            std::printf("  %-6s stats              %9zu attempts: %.3f s  x%.2f of wc -l   peak %.1f MB\n",
                        binaries[b].first.c_str(), attempts, stats.seconds, stats.seconds / f[0].seconds,
                        mb(stats.peak_kb));
            std::printf("  %-6s report --format json %8zu attempts: %.3f s  x%.2f of stats   peak %.1f MB (x%.2f of stats)\n",
                        binaries[b].first.c_str(), attempts, json.seconds, json.seconds / stats.seconds, mb(json.peak_kb),
                        static_cast<double>(json.peak_kb) / static_cast<double>(stats.peak_kb));
        }
        rows.push_back(row);
    }
    for (std::size_t b = 0; b < binaries.size(); ++b)
        std::printf("  %-6s growth 100k -> 1M: stats time x%.2f, memory x%.2f; report json time x%.2f, memory x%.2f\n",
                    binaries[b].first.c_str(), rows[1].stats[b].seconds / rows[0].stats[b].seconds,
                    static_cast<double>(rows[1].stats[b].peak_kb) / static_cast<double>(rows[0].stats[b].peak_kb),
                    rows[1].json[b].seconds / rows[0].json[b].seconds,
                    static_cast<double>(rows[1].json[b].peak_kb) / static_cast<double>(rows[0].json[b].peak_kb));

    // The same million attempts in 1,000 sessions instead of 200,000: memory should not care.
    const std::string few = history_in(root, 1'000'000, 1000, keep);
    std::vector<std::vector<std::string>> commands;
    for (const auto& entry : binaries) commands.push_back({entry.second, "--data-dir", few, "stats"});
    const std::vector<Figure> f = measure(commands, std::min(runs, 3));
    for (std::size_t b = 0; b < binaries.size(); ++b)
        std::printf("  %-6s stats peak memory, 1M attempts: %.1f MB in 200,000 sessions, %.1f MB in 1,000\n",
                    binaries[b].first.c_str(), mb(rows[1].stats[b].peak_kb), mb(f[b].peak_kb));
    if (binaries.size() == 2) {
        std::printf("\nafter / before, same run: stats 1M x%.2f time, x%.2f memory; report json 1M x%.2f time, x%.2f memory\n",
                    rows[1].stats[1].seconds / rows[1].stats[0].seconds,
                    static_cast<double>(rows[1].stats[1].peak_kb) / static_cast<double>(rows[1].stats[0].peak_kb),
                    rows[1].json[1].seconds / rows[1].json[0].seconds,
                    static_cast<double>(rows[1].json[1].peak_kb) / static_cast<double>(rows[1].json[0].peak_kb));
    }
    if (!keep) std::filesystem::remove_all(root);
    return 0;
}
