#include "ehrprep/history.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <tuple>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

constexpr std::string_view kOutcomeNames[] = {"answered", "timed_out", "skipped", "quit"};

// Deep enough for any field a later ehrprep might add, shallow enough that a corrupt line
// cannot run the reader out of stack.
constexpr int kMaxDepth = 64;

// Sixteen bytes compared at once; GCC and Clang turn this into SSE2 or NEON.
using Bytes16 = unsigned char __attribute__((vector_size(16)));

// The first byte from `at` that ends a run of plain string characters: a quote, a backslash
// or a control character. Sixteen bytes at a time, since answers make up most of a history.
std::size_t plain_run_end(std::string_view s, std::size_t at) {
    while (s.size() - at >= 16) {
        Bytes16 bytes;
        std::memcpy(&bytes, s.data() + at, 16);
        const Bytes16 special = (bytes == '"') | (bytes == '\\') | (bytes < 0x20);
        std::uint64_t halves[2];
        std::memcpy(halves, &special, 16);
        if ((halves[0] | halves[1]) == 0) {
            at += 16;
            continue;
        }
        // Each special byte is all ones; on a little-endian machine the lowest comes first.
        if constexpr (std::endian::native == std::endian::little)
            return at + static_cast<std::size_t>(halves[0] != 0 ? std::countr_zero(halves[0])
                                                               : 64 + std::countr_zero(halves[1])) / 8;
        break;
    }
    while (at < s.size() && s[at] != '"' && s[at] != '\\' && static_cast<unsigned char>(s[at]) >= 0x20) ++at;
    return at;
}

// Appends `run`, each invalid UTF-8 sequence in it as one U+FFFD (as the writer does).
void append_repaired(std::string& out, std::string_view run) {
    std::size_t k = 0;
    // Most text is ASCII, which needs no look at all.
    while (run.size() - k >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, run.data() + k, 8);
        if ((word & 0x8080808080808080ULL) != 0) break;
        k += 8;
    }
    out.append(run.data(), k);
    while (k < run.size()) {
        const std::size_t ascii = k;
        while (k < run.size() && static_cast<unsigned char>(run[k]) < 0x80) ++k;
        out.append(run.data() + ascii, k - ascii);
        if (k == run.size()) break;
        const Utf8Decoded decoded = decode_utf8(run, k);
        if (decoded.status == Utf8Status::Valid) {
            out.append(run.data() + k, decoded.length);
            k += decoded.length;
            continue;
        }
        append_utf8(out, kReplacementCharacter);
        ++k;
        while (k < run.size() && is_utf8_continuation(static_cast<unsigned char>(run[k]))) ++k;
    }
}

// Strict JSON for one history line. Strings are read into a buffer or only checked, and both
// accept the same text, so a line is kept or skipped the same whether its answer is wanted.
class LineScanner {
public:
    explicit LineScanner(std::string_view text) : s_(text) {}

    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
    }
    bool consume(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    [[nodiscard]] char peek() {
        skip_space();
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    [[nodiscard]] bool at_end() {
        skip_space();
        return i_ == s_.size();
    }
    [[nodiscard]] bool too_deep() const { return too_deep_; }

    // A string into `out`, or only checked when `out` is null. Bytes that are not UTF-8 and
    // \u escapes of lone surrogates stand for U+FFFD.
    bool string(std::string* out) {
        if (!consume('"')) return false;
        if (out != nullptr) out->clear();
        for (;;) {
            const std::size_t end = plain_run_end(s_, i_);
            if (out != nullptr) append_repaired(*out, s_.substr(i_, end - i_));
            i_ = end;
            if (i_ >= s_.size()) return false;
            const char c = s_[i_++];
            if (c == '"') return true;
            if (c != '\\') return false;  // a control character must be escaped
            if (i_ >= s_.size()) return false;
            const char e = s_[i_++];
            char simple = 0;
            switch (e) {
                case '"': simple = '"'; break;
                case '\\': simple = '\\'; break;
                case '/': simple = '/'; break;
                case 'b': simple = '\b'; break;
                case 'f': simple = '\f'; break;
                case 'n': simple = '\n'; break;
                case 'r': simple = '\r'; break;
                case 't': simple = '\t'; break;
                case 'u': break;
                default: return false;
            }
            if (e != 'u') {
                if (out != nullptr) out->push_back(simple);
                continue;
            }
            char32_t unit = 0;
            if (!hex4(i_, unit)) return false;
            i_ += 4;
            if (out == nullptr) continue;
            // A high surrogate followed by a low one is one character; either alone is none.
            char32_t low = 0;
            if (unit >= 0xD800 && unit <= 0xDBFF && s_.substr(i_, 2) == "\\u" && hex4(i_ + 2, low) && low >= 0xDC00 &&
                low <= 0xDFFF) {
                i_ += 6;
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(*out, unit);  // a lone surrogate comes out as U+FFFD
        }
    }

    // A JSON number; `integer` tells whether it had no fraction or exponent.
    bool number(double& value, bool& integer) {
        skip_space();
        const std::size_t start = i_;
        auto digit = [&] { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; };
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (!digit()) return false;
        if (s_[i_] == '0') {
            ++i_;
        } else {
            while (digit()) ++i_;
        }
        integer = true;
        if (i_ < s_.size() && s_[i_] == '.') {
            integer = false;
            ++i_;
            if (!digit()) return false;
            while (digit()) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            integer = false;
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digit()) return false;
            while (digit()) ++i_;
        }
        auto [end, ec] = std::from_chars(s_.data() + start, s_.data() + i_, value);
        return ec == std::errc{} && end == s_.data() + i_;
    }

    // Any value, checked and stepped over; `depth` is how deep the value's container is.
    bool skip_value(int depth) {
        double ignored_number = 0;
        bool ignored_integer = false;
        const char c = peek();
        if ((c == '{' || c == '[') && depth + 1 > kMaxDepth) {
            too_deep_ = true;
            return false;
        }
        switch (c) {
            case '"': return string(nullptr);
            case '{':
                consume('{');
                if (consume('}')) return true;
                do {
                    if (!string(nullptr) || !consume(':') || !skip_value(depth + 1)) return false;
                } while (consume(','));
                return consume('}');
            case '[':
                consume('[');
                if (consume(']')) return true;
                do {
                    if (!skip_value(depth + 1)) return false;
                } while (consume(','));
                return consume(']');
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number(ignored_number, ignored_integer);
        }
    }

private:
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    bool hex4(std::size_t at, char32_t& unit) const {
        if (at + 4 > s_.size()) return false;
        std::uint32_t value = 0;
        auto [end, ec] = std::from_chars(s_.data() + at, s_.data() + at + 4, value, 16);
        if (ec != std::errc{} || end != s_.data() + at + 4) return false;
        unit = value;
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
    bool too_deep_ = false;
};

enum class Kind { Missing, String, Number, Array, Other };

Error torn_line() { return Error{"not valid JSON (a torn or edited line)"}; }

Error too_deep_line() { return Error{fmt::format("nested more than {} levels deep", kMaxDepth)}; }

}  // namespace

std::string_view outcome_name(Outcome outcome) { return kOutcomeNames[static_cast<int>(outcome)]; }

std::optional<Outcome> outcome_from_name(std::string_view name) {
    for (int k = 0; k < 4; ++k)
        if (kOutcomeNames[k] == name) return static_cast<Outcome>(k);
    return std::nullopt;
}

std::string_view rating_name(Rating rating) {
    switch (rating) {
        case Rating::Again: return "again";
        case Rating::Hard: return "hard";
        case Rating::Good: return "good";
        case Rating::Easy: break;
    }
    return "easy";
}

std::optional<Rating> rating_from_name(std::string_view name) {
    for (Rating r : {Rating::Again, Rating::Hard, Rating::Good, Rating::Easy})
        if (rating_name(r) == name) return r;
    return std::nullopt;
}

std::string serialize_attempt(const Attempt& a) {
    nlohmann::ordered_json json{{"schema_version", Attempt::kSchemaVersion},
                                {"session", a.session_id},
                                {"question", a.question_id},
                                {"tier", a.tier_id},
                                {"started_at", format_utc(a.started_at)},
                                {"seconds", std::round(a.seconds * 10.0) / 10.0},
                                {"outcome", outcome_name(a.outcome)},
                                {"coverage", std::round(a.coverage * 10000.0) / 10000.0},
                                {"covered", a.covered},
                                {"missed", a.missed},
                                {"answer", a.answer}};
    // Written only when they say something, so most lines stay as they always were.
    if (a.retry) json["retry"] = true;
    if (a.suggested_rating) json["suggested_rating"] = rating_name(*a.suggested_rating);
    if (a.chosen_rating) json["rating"] = rating_name(*a.chosen_rating);
    // Answers were repaired to valid UTF-8 before scoring; replace anything else rather than throw.
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<void> parse_attempt(std::string_view line, Attempt& out, AnswerText answer) {
    LineScanner scan(line);
    if (scan.peek() != '{') {
        LineScanner whole(line);
        if (whole.skip_value(0) && whole.at_end()) return Error{"not a JSON object"};
        return whole.too_deep() ? too_deep_line() : torn_line();
    }
    scan.consume('{');

    enum Field {
        Version, Session, Question, Tier, Started, Seconds, OutcomeF, Coverage, Covered, Missed, Answer,
        Retry, Suggested, Chosen, Count
    };
    static constexpr std::string_view kNames[Count] = {
        "schema_version", "session", "question", "tier",   "started_at",       "seconds", "outcome",
        "coverage",       "covered", "missed",   "answer", "retry", "suggested_rating", "rating"};
    // What each field turned out to be, so that problems are reported in the order above
    // whatever order the line has its fields in.
    Kind kinds[Count] = {};
    bool version_integer = false;
    double version = 0, seconds = 0, coverage = 0;
    std::string started, outcome, key, suggested, chosen;
    bool retry = false;
    out.answer.clear();
    std::string* const answer_text = answer == AnswerText::Read ? &out.answer : nullptr;

    // Reads into the strings already there, so a long history is read without an allocation
    // per concept label.
    auto read_string_array = [&](std::vector<std::string>& into, Kind& kind) {
        std::size_t count = 0;
        auto done = [&](bool ok) {
            into.resize(count);
            return ok;
        };
        if (scan.peek() != '[') {
            kind = Kind::Other;
            return done(scan.skip_value(1));
        }
        scan.consume('[');
        kind = Kind::Array;
        if (scan.consume(']')) return done(true);
        do {
            if (scan.peek() != '"') {
                kind = Kind::Other;
                if (!scan.skip_value(2)) return done(false);
                continue;
            }
            if (count == into.size()) into.emplace_back();
            if (!scan.string(&into[count++])) return done(false);
        } while (scan.consume(','));
        return done(scan.consume(']'));
    };
    auto read_string_field = [&](std::string* into, Kind& kind) {
        if (scan.peek() != '"') {
            kind = Kind::Other;
            return scan.skip_value(1);
        }
        kind = Kind::String;
        return scan.string(into);
    };
    auto read_number_field = [&](double& into, Kind& kind, bool* integer) {
        const char c = scan.peek();
        if (c != '-' && !(c >= '0' && c <= '9')) {
            kind = Kind::Other;
            return scan.skip_value(1);
        }
        kind = Kind::Number;
        bool is_integer = false;
        if (!scan.number(into, is_integer)) return false;
        if (integer != nullptr) *integer = is_integer;
        return true;
    };

    if (!scan.consume('}')) {
        do {
            if (!scan.string(&key) || !scan.consume(':')) return torn_line();
            int field = Count;
            for (int k = 0; k < Count; ++k)
                if (kNames[k] == key) field = k;
            bool ok = true;
            switch (field) {
                case Version: ok = read_number_field(version, kinds[Version], &version_integer); break;
                case Session: ok = read_string_field(&out.session_id, kinds[Session]); break;
                case Question: ok = read_string_field(&out.question_id, kinds[Question]); break;
                case Tier: ok = read_string_field(&out.tier_id, kinds[Tier]); break;
                case Started: ok = read_string_field(&started, kinds[Started]); break;
                case Seconds: ok = read_number_field(seconds, kinds[Seconds], nullptr); break;
                case OutcomeF: ok = read_string_field(&outcome, kinds[OutcomeF]); break;
                case Coverage: ok = read_number_field(coverage, kinds[Coverage], nullptr); break;
                case Covered: ok = read_string_array(out.covered, kinds[Covered]); break;
                case Missed: ok = read_string_array(out.missed, kinds[Missed]); break;
                case Answer: ok = read_string_field(answer_text, kinds[Answer]); break;
                case Retry:
                    kinds[Retry] = scan.peek() == 't' || scan.peek() == 'f' ? Kind::Other : Kind::String;
                    retry = scan.peek() == 't';
                    ok = scan.skip_value(1);
                    break;
                case Suggested: ok = read_string_field(&suggested, kinds[Suggested]); break;
                case Chosen: ok = read_string_field(&chosen, kinds[Chosen]); break;
                default: ok = scan.skip_value(1); break;
            }
            if (!ok) return scan.too_deep() ? too_deep_line() : torn_line();
        } while (scan.consume(','));
        if (!scan.consume('}')) return torn_line();
    }
    if (!scan.at_end()) return torn_line();

    if (kinds[Version] != Kind::Number || !version_integer) return Error{"missing 'schema_version'"};
    if (version > Attempt::kSchemaVersion)
        return Error{fmt::format("schema_version {} is newer than this ehrprep reads ({})", static_cast<long long>(version),
                                 Attempt::kSchemaVersion)};
    for (int k = Session; k <= Missed; ++k) {
        if (kinds[k] == Kind::Missing) return Error{fmt::format("key '{}' not found", kNames[k])};
        const bool numeric = k == Seconds || k == Coverage;
        const bool array = k == Covered || k == Missed;
        const Kind wanted = numeric ? Kind::Number : array ? Kind::Array : Kind::String;
        if (kinds[k] != wanted)
            return Error{fmt::format("field '{}' must be {}", kNames[k],
                                     numeric ? "a number" : array ? "an array of strings" : "a string")};
        if (k == Started) {
            auto at = parse_utc(started);
            if (!at) return Error{"field 'started_at': " + at.error().message};
            out.started_at = *at;
        }
        if (k == OutcomeF) {
            const auto known = outcome_from_name(outcome);
            if (!known) return Error{fmt::format("field 'outcome': unknown value '{}'", outcome)};
            out.outcome = *known;
        }
        if (k == Coverage && !(coverage >= 0.0 && coverage <= 1.0))
            return Error{"field 'coverage' must be between 0 and 1"};
    }
    if (kinds[Answer] == Kind::Other) return Error{"field 'answer' must be a string"};
    if (kinds[Retry] == Kind::String) return Error{"field 'retry' must be true or false"};
    out.retry = retry;
    out.suggested_rating.reset();
    out.chosen_rating.reset();
    for (const auto& [field, text, into] : {std::tuple{Suggested, &suggested, &out.suggested_rating},
                                            std::tuple{Chosen, &chosen, &out.chosen_rating}}) {
        if (kinds[field] == Kind::Missing) continue;
        const auto rating = kinds[field] == Kind::String ? rating_from_name(*text) : std::nullopt;
        if (!rating) return Error{fmt::format("field '{}' must be again, hard, good or easy", kNames[field])};
        *into = rating;
    }
    out.seconds = seconds;
    out.coverage = coverage;
    if (out.session_id.empty() || out.question_id.empty()) return Error{"empty 'session' or 'question'"};
    return {};
}

Result<Attempt> parse_attempt(std::string_view line) {
    Attempt attempt;
    if (auto parsed = parse_attempt(line, attempt, AnswerText::Read); !parsed) return std::move(parsed).error();
    return attempt;
}

Result<void> HistoryStore::append(const Attempt& attempt) {
    return files_.append_locked(path_, serialize_attempt(attempt) + "\n");
}

Result<void> HistoryStore::scan(const std::function<void(const Attempt&)>& visit, std::vector<HistoryWarning>& warnings,
                                AnswerText answer) const {
    Attempt attempt;
    return files_.for_each_line(path_, [&](std::string_view line, std::size_t number) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
        if (auto parsed = parse_attempt(line, attempt, answer); !parsed) {
            warnings.push_back({number, parsed.error().message});
            return;
        }
        visit(attempt);
    });
}

}  // namespace ehrprep
