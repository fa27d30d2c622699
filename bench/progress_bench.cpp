// Times the real `ehrprep stats` and `ehrprep report --format json` on generated histories of
// 100,000 and 1,000,000 attempts with answers of about 300 words, and reports median wall time,
// peak memory and how both grow with the history.
//
//   ehrprep_progress_bench [EHRPREP_BINARY] [RUNS] [KEEP_DIR]
//
// With KEEP_DIR the histories are kept there (and reused when present) instead of a temporary
// directory, since generating the larger one takes longer than measuring it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

void generate(const std::string& path, std::size_t attempts) {
    const ehrprep::QuestionBank bank = ehrprep::embedded_bank();
    std::mt19937 rng(42);
    std::vector<std::string> answers;
    for (int k = 0; k < 64; ++k) answers.push_back(make_answer(rng));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::ofstream out(path, std::ios::binary);
    ehrprep::Timestamp t{std::chrono::seconds{1'735'689'600}};  // 2025-01-01
    const auto& questions = bank.questions();
    std::string buffer;
    for (std::size_t k = 0; k < attempts; ++k) {
        const std::size_t session = k / 5;
        if (k % 5 == 0) t += std::chrono::hours{3};
        const ehrprep::Question& q = questions[(k * 7 + session) % questions.size()];
        ehrprep::Attempt a;
        a.session_id = "s" + std::to_string(session);
        a.question_id = q.id;
        a.tier_id = q.tier_id;
        a.started_at = t + std::chrono::seconds{static_cast<long>(k % 5) * 200};
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

struct Figures {
    double stats_s, json_s;
    long stats_kb, json_kb;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string binary = argc > 1 ? argv[1] : EHRPREP_BINARY;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    char pattern[] = "/tmp/ehrprep-bench-XXXXXX";
    const bool keep = argc > 3;
    if (!keep && ::mkdtemp(pattern) == nullptr) return 1;
    const std::string root = keep ? argv[3] : pattern;

    std::vector<std::pair<std::size_t, Figures>> results;
    for (std::size_t size : {std::size_t{100'000}, std::size_t{1'000'000}}) {
        const std::string dir = root + "/h" + std::to_string(size);
        std::filesystem::create_directories(dir);
        const auto gen_start = std::chrono::steady_clock::now();
        if (!keep || !std::filesystem::exists(dir + "/history.jsonl")) generate(dir + "/history.jsonl", size);
        std::printf("generated %zu attempts (%.0f MB) in %.1f s\n", size,
                    static_cast<double>(std::filesystem::file_size(dir + "/history.jsonl")) / 1e6,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - gen_start).count());
        Figures f{};
        for (const char* command : {"stats", "json"}) {
            std::vector<std::string> argv_run = {binary, "--data-dir", dir, "stats"};
            if (std::string(command) == "json") argv_run = {binary, "--data-dir", dir, "report", "--format", "json"};
            run(argv_run);  // warm the page cache
            std::vector<double> times;
            long peak = 0;
            for (int r = 0; r < runs; ++r) {
                Measurement m = run(argv_run);
                if (m.status != 0) {
                    std::fprintf(stderr, "%s exited with %d\n", command, m.status);
                    return 1;
                }
                times.push_back(m.seconds);
                peak = std::max(peak, m.peak_rss_kb);
            }
            const double t = median(times);
            std::printf("  %-6s %9zu attempts: median %.3f s over %d runs, peak RSS %.1f MB\n", command, size, t, runs,
                        static_cast<double>(peak) / 1024.0);
            if (std::string(command) == "stats") {
                f.stats_s = t;
                f.stats_kb = peak;
            } else {
                f.json_s = t;
                f.json_kb = peak;
            }
        }
        results.emplace_back(size, f);
    }
    const Figures& small = results[0].second;
    const Figures& large = results[1].second;
    std::printf("growth 100k -> 1M: stats time x%.2f, memory x%.2f; report json time x%.2f, memory x%.2f\n",
                large.stats_s / small.stats_s, static_cast<double>(large.stats_kb) / static_cast<double>(small.stats_kb),
                large.json_s / small.json_s, static_cast<double>(large.json_kb) / static_cast<double>(small.json_kb));
    if (!keep) std::filesystem::remove_all(root);
    return 0;
}
