#include "ehrprep/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// ASCII spelling of accented Latin letters, so "naïve" meets "naive". Empty for a code point
// that is not a Latin letter we fold.
std::string_view fold_latin(std::uint32_t cp) {
    // U+00C0..U+00FF, index cp - 0xC0; "" marks the multiplication and division signs.
    static constexpr std::array<std::string_view, 64> kLatin1 = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};
    if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
    // Latin Extended-A pairs upper/lower case; their base letters in order.
    static constexpr std::string_view kExtendedA =
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
        "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    if (cp >= 0x100 && cp <= 0x17F) {
        return kExtendedA.substr(cp - 0x100, 1);
    }
    return {};
}

bool is_apostrophe(std::uint32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC; }

// Non-ASCII code points that are punctuation, symbols, spaces or emoji: word breaks.
bool is_break(std::uint32_t cp) {
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
           cp == 0xFFFD || cp >= 0x1F000;
}

}  // namespace

Utf8Repair repair_utf8(std::string_view bytes) {
    Utf8Repair out;
    out.text.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        // Most answers are ASCII: copy a run of it at once.
        std::size_t ascii = i;
        while (ascii < bytes.size() && static_cast<unsigned char>(bytes[ascii]) < 0x80) ++ascii;
        if (ascii > i) {
            out.text.append(bytes.substr(i, ascii - i));
            i = ascii;
            continue;
        }
        const Utf8Decoded decoded = decode_utf8(bytes, i);
        if (decoded.status != Utf8Status::Valid) {
            if (out.invalid_sequences++ == 0) out.first_invalid_byte = i;
            out.text.append(kReplacement);
            ++i;
            // A run of continuation bytes after a bad lead byte is one bad sequence.
            while (i < bytes.size() && is_utf8_continuation(static_cast<unsigned char>(bytes[i]))) ++i;
            continue;
        }
        out.text.append(bytes.substr(i, decoded.length));
        i += decoded.length;
    }
    return out;
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    Token current;
    bool in_word = false;
    bool saw_lower = false;
    bool saw_upper = false;
    std::size_t letters = 0;
    // The strongest mark seen since the last word, and whether the current line has had
    // anything but spaces yet (a dash or asterisk before any word on a line is a bullet).
    Boundary pending = Boundary::Sentence;
    bool line_has_text = false;
    std::size_t newlines = 0;
    auto mark = [&](Boundary b) { pending = std::max(pending, b); };
    auto finish = [&](std::size_t end) {
        if (!in_word) return;
        // A trailing apostrophe ("patients'") leaves nothing to drop; trim the span too.
        current.end = end;
        current.all_caps = letters >= 2 && !saw_lower;
        current.has_upper = saw_upper;
        if (!current.folded.empty()) tokens.push_back(std::move(current));
        current = Token{};
        in_word = false;
        saw_lower = false;
        saw_upper = false;
        letters = 0;
    };
    auto start_word = [&](std::size_t at) {
        in_word = true;
        current.begin = at;
        current.boundary = pending;
        pending = Boundary::None;
        newlines = 0;
        line_has_text = true;
    };
    // A full stop ends a sentence when something other than a word character follows, unless
    // it closes an initial or a common abbreviation.
    auto full_stop_ends_sentence = [&](std::size_t at) {
        if (at + 1 < text.size() && std::isalnum(static_cast<unsigned char>(text[at + 1])) != 0) return false;
        if (tokens.empty() || tokens.back().end != at) return true;
        const std::string& previous = tokens.back().folded;
        static constexpr std::array<std::string_view, 12> kAbbreviations = {
            "eg", "ie", "vs", "etc", "dr", "mr", "mrs", "ms", "approx", "incl", "esp", "cf"};
        return previous.size() > 1 &&
               std::find(kAbbreviations.begin(), kAbbreviations.end(), previous) == kAbbreviations.end();
    };
    // "guardrails, review, monitoring... the textbook answer": an ellipsis before a lower-case
    // word trails off within one thought; before a capital it ends a sentence.
    // `length` is 1 for a '.', which is part of an ellipsis only next to another.
    auto ellipsis_goes_on = [&](std::size_t at, std::size_t length) {
        const bool ellipsis =
            length > 1 || (at + 1 < text.size() && text[at + 1] == '.') || (at > 0 && text[at - 1] == '.');
        std::size_t next = at + length;
        while (next < text.size() && text[next] == '.') ++next;
        while (next < text.size() && text[next] == ' ') ++next;
        return ellipsis && next < text.size() && text[next] >= 'a' && text[next] <= 'z';
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const Utf8Decoded decoded = lead < 0x80 ? Utf8Decoded{lead, 1, Utf8Status::Valid} : decode_utf8(text, i);
        if (decoded.status != Utf8Status::Valid) {  // callers should repair first; never split inside garbage
            finish(i);
            ++i;
            continue;
        }
        const std::size_t length = decoded.length;
        const std::uint32_t cp = decoded.code_point;
        const bool ascii_alnum = cp < 0x80 && ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                                              (cp >= '0' && cp <= '9'));
        if (ascii_alnum) {
            if (!in_word) start_word(i);
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
                ++letters;
                saw_upper = true;
            } else if (c >= 'a' && c <= 'z') {
                saw_lower = true;
                ++letters;
            } else {
                current.has_digit = true;
            }
            current.folded.push_back(c);
        } else if (is_apostrophe(cp) && in_word && i + length < text.size() &&
                   std::isalnum(static_cast<unsigned char>(text[i + length])) != 0) {
            // Dropped inside a word; the word goes on.
        } else if (cp >= 0x80 && !is_break(cp)) {
            if (!in_word) start_word(i);
            std::string_view folded = fold_latin(cp);
            if (!folded.empty()) {
                current.folded.append(folded);
                ++letters;
                // Upper-case Latin-1 letters sit below U+00E0; lower case at and above it.
                if ((cp >= 0xE0 && cp <= 0xFF) || (cp >= 0x100 && cp <= 0x17F && cp % 2 == 1)) saw_lower = true;
            } else {
                current.folded.append(text.substr(i, length));  // other scripts are kept as they are
                saw_lower = true;
            }
        } else {
            const bool was_in_word = in_word;
            finish(i);
            switch (cp) {
                case '\n':
                    mark(++newlines >= 2 ? Boundary::Sentence : Boundary::Clause);
                    line_has_text = false;
                    break;
                case '.':
                    if (ellipsis_goes_on(i, 1)) mark(Boundary::Clause);
                    else if (full_stop_ends_sentence(i)) mark(Boundary::Sentence);
                    break;
                case 0x2026: mark(ellipsis_goes_on(i, length) ? Boundary::Clause : Boundary::Sentence); break;
                case '?':
                    if (!tokens.empty()) tokens.back().ends_question = true;
                    mark(Boundary::Sentence);
                    break;
                case '!': case ';': mark(Boundary::Sentence); break;
                case ',': mark(Boundary::Comma); break;
                case ':': case '(': case ')': case '[': case ']': mark(Boundary::Clause); break;
                case 0x2014: case 0x2013: mark(Boundary::Clause); break;  // em and en dashes
                case 0x2022: mark(Boundary::Sentence); break;             // a bullet
                case '-': case '*':
                    // Between words a hyphen joins them; after a space it is a dash, and first
                    // on a line it is a bullet.
                    if (!line_has_text) mark(Boundary::Sentence);
                    else if (!was_in_word && (cp == '-' || i == 0 || text[i - 1] == ' ')) mark(Boundary::Clause);
                    break;
                default: break;
            }
        }
        i += length;
    }
    finish(text.size());
    return tokens;
}

bool is_stop_word(std::string_view w) {
    // Called for every word of every answer; most words are longer than any stop word.
    if (w.size() > 5) return false;
    static constexpr std::array<std::string_view, 44> kStopWords = {
        "a",    "an",   "and",  "are",  "as",   "at",    "be",   "been", "but",  "by",    "can",
        "do",   "for",  "from", "has",  "have", "i",     "if",   "in",   "into", "is",    "it",
        "its",  "me",   "my",   "of",   "on",   "or",    "our",  "so",   "that", "the",   "their",
        "them", "then", "this", "to",   "us",   "using", "use",  "via",  "was",  "we",    "with"};
    return std::find(kStopWords.begin(), kStopWords.end(), w) != kStopWords.end();
}

}  // namespace ehrprep
