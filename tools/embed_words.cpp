// Build step: turns a system word list (Debian's wamerican) into a compiled-in table of the
// lower-case English words that typo matching could mistake for a slip: a word a candidate
// spelled correctly is not a typo of a similar concept word ("content" is not "consent").
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Typo matching looks only at typed words of 4 to 24 letters.
constexpr std::size_t kShortest = 4;
constexpr std::size_t kLongest = 24;

bool wanted(const std::string& word) {
    if (word.size() < kShortest || word.size() > kLongest) return false;
    return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: ehrprep_embed_words WORD_LIST OUTPUT.cpp\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << argv[1] << ": cannot read (install the wamerican package)\n";
        return 1;
    }
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);)
        if (wanted(line)) words.push_back(line);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    if (words.size() < 1000) {
        std::cerr << argv[1] << ": only " << words.size() << " usable words; is this a word list?\n";
        return 1;
    }

    std::string temp = std::string(argv[2]) + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << "// Generated from " << argv[1] << " by ehrprep_embed_words.\n"
            << "#include \"ehrprep/word_list.hpp\"\n\n#include <algorithm>\n#include <cstdint>\n#include <iterator>\n\n"
            << "namespace ehrprep {\nnamespace {\n\n"
            << "// Every word, each followed by a newline, in sorted order.\nconstexpr char kWords[] =\n";
        std::size_t line = 0;
        for (const std::string& w : words) {
            if (line == 0) out << "    \"";
            out << w << "\\n";
            if (++line == 12) {
                out << "\"\n";
                line = 0;
            }
        }
        if (line != 0) out << "\"\n";
        out << ";\nconstexpr std::uint32_t kStarts[] = {\n";
        std::size_t offset = 0;
        line = 0;
        for (const std::string& w : words) {
            out << (line == 0 ? "    " : " ") << offset << ",";
            offset += w.size() + 1;
            if (++line == 12) {
                out << "\n";
                line = 0;
            }
        }
        out << "\n};\n\nstd::string_view word_at(std::size_t index) {\n"
            << "    const std::uint32_t start = kStarts[index];\n"
            << "    const std::uint32_t end = index + 1 < std::size(kStarts) ? kStarts[index + 1] - 1 : sizeof kWords - 2;\n"
            << "    return {kWords + start, end - start};\n}\n\n}  // namespace\n\n"
            << "bool is_english_word(std::string_view folded) {\n"
            << "    std::size_t low = 0;\n    std::size_t high = std::size(kStarts);\n"
            << "    while (low < high) {\n        const std::size_t mid = low + (high - low) / 2;\n"
            << "        if (word_at(mid) < folded) {\n            low = mid + 1;\n        } else {\n            high = mid;\n        }\n    }\n"
            << "    return low < std::size(kStarts) && word_at(low) == folded;\n}\n\n}  // namespace ehrprep\n";
        if (!out) {
            std::cerr << temp << ": cannot write\n";
            return 1;
        }
    }
    if (std::rename(temp.c_str(), argv[2]) != 0) {
        std::cerr << argv[2] << ": cannot replace\n";
        return 1;
    }
    return 0;
}
