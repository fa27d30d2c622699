#include "ehrprep/history.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>
#include <tuple>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

constexpr std::string_view kOutcomeNames[] = {"answered", "timed_out", "skipped", "quit"};

// Deep enough for any field a later ehrprep might add, shallow enough that a corrupt line
// cannot run the reader out of stack.
constexpr int kMaxDepth = 64;

// The first byte from `at` that ends a run of plain string characters: a quote, a backslash
// or a control character. Sixteen bytes at a time, since answers make up most of a history.
std::size_t plain_run_end(std::string_view s, std::size_t at) {
#if defined(__SSE2__)
    // One mask bit per byte: half the instructions of the portable loop.
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i below_space = _mm_set1_epi8(0x1F);
    while (s.size() - at >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
        // A control byte is its own minimum with 0x1F.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                             _mm_cmpeq_epi8(_mm_min_epu8(bytes, below_space), bytes));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (mask != 0) return at + static_cast<std::size_t>(std::countr_zero(mask));
        at += 16;
    }
#else
    // Sixteen bytes compared at once; GCC and Clang turn this into NEON elsewhere.
    using Bytes16 = unsigned char __attribute__((vector_size(16)));
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
#endif
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

    // A string appended to `out`, or only checked when `out` is null. Bytes that are not UTF-8
    // and \u escapes of lone surrogates stand for U+FFFD.
    bool string(std::string* out) {
        if (!consume('"')) return false;
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

    // A string as a view of the line when it needs no decoding, which is most strings, or
    // else decoded into `scratch` (emptied first). With `Utf8::Unchecked` bytes that are not
    // UTF-8 are left as they are in the view.
    enum class Utf8 { Checked, Unchecked };
    bool text(std::string_view& view, std::string& scratch, Utf8 utf8 = Utf8::Checked) {
        skip_space();
        if (i_ >= s_.size() || s_[i_] != '"') return false;
        const std::size_t start = i_ + 1;
        const std::size_t end = plain_run_end(s_, start);
        if (end < s_.size() && s_[end] == '"' &&
            (utf8 == Utf8::Unchecked || is_valid_utf8(s_.substr(start, end - start)))) {
            view = s_.substr(start, end - start);
            i_ = end + 1;
            return true;
        }
        scratch.clear();
        if (!string(&scratch)) return false;
        view = scratch;
        return true;
    }

    // A key compared where it stands, as a view of the line. It is not checked for UTF-8: the
    // keys the reader knows are ASCII, and any other key is stepped over whatever its bytes.
    bool key(std::string_view& view, std::string& scratch) {
        return text(view, scratch, Utf8::Unchecked) && consume(':');
    }

    // A JSON number; `integer` tells whether it had no fraction or exponent.
    bool number(double& value, bool& integer) {
        std::string_view ignored;
        return number(value, integer, ignored);
    }
    bool number(double& value, bool& integer, std::string_view& written) {
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
        written = s_.substr(start, i_ - start);
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

Result<void> AttemptReader::read(std::string_view line, AttemptView& out) {
    LineScanner scan(line);
    if (scan.peek() != '{') {
        LineScanner whole(line);
        if (whole.skip_value(0) && whole.at_end()) return Error{"not a JSON object"};
        return whole.too_deep() ? too_deep_line() : torn_line();
    }
    scan.consume('{');

    // A new field is a name here, a case in the switch below and, if it must be there, a check
    // after it.
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
    std::string_view version_text, started, outcome, suggested, chosen, key;
    bool retry = false;
    out.answer = {};
    out.covered = {};
    out.missed = {};

    // Labels are views of the line where they need no decoding; decoded ones go end to end into
    // `decoded`, and are pointed at once the array is read and that buffer stops moving.
    auto read_string_array = [&](std::vector<std::string_view>* into, std::string& decoded, Kind& kind) {
        labels_.clear();
        auto done = [&](bool ok) {
            if (into != nullptr) {
                into->clear();
                for (const Label& label : labels_)
                    into->push_back(label.in_line.data() != nullptr
                                        ? label.in_line
                                        : std::string_view(decoded).substr(label.decoded_at, label.decoded_size));
            }
            return ok;
        };
        decoded.clear();
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
            if (into == nullptr) {
                if (!scan.string(nullptr)) return done(false);
                continue;
            }
            std::string_view text;
            if (!scan.text(text, label_scratch_)) return done(false);
            if (text.data() != label_scratch_.data()) {
                labels_.push_back({text});
            } else {
                labels_.push_back({{}, decoded.size(), text.size()});
                decoded += text;
            }
        } while (scan.consume(','));
        return done(scan.consume(']'));
    };
    auto read_string_field = [&](std::string_view& into, std::string& scratch, Kind& kind) {
        if (scan.peek() != '"') {
            kind = Kind::Other;
            return scan.skip_value(1);
        }
        kind = Kind::String;
        return scan.text(into, scratch);
    };
    auto read_number_field = [&](double& into, Kind& kind, bool* integer, std::string_view* written) {
        const char c = scan.peek();
        if (c != '-' && !(c >= '0' && c <= '9')) {
            kind = Kind::Other;
            return scan.skip_value(1);
        }
        kind = Kind::Number;
        bool is_integer = false;
        std::string_view text;
        if (!scan.number(into, is_integer, text)) return false;
        if (integer != nullptr) *integer = is_integer;
        if (written != nullptr) *written = text;
        return true;
    };
    // ehrprep writes the fields in the order of kNames, so the next one is tried first.
    int expected = 0;
    auto field_named = [&](std::string_view name) {
        if (expected < Count && kNames[expected] == name) return expected++;
        for (int k = 0; k < Count; ++k)
            if (kNames[k] == name) return (expected = k + 1) - 1;
        return static_cast<int>(Count);
    };

    if (!scan.consume('}')) {
        do {
            if (!scan.key(key, key_)) return torn_line();
            bool ok = true;
            switch (field_named(key)) {
                case Version: ok = read_number_field(version, kinds[Version], &version_integer, &version_text); break;
                case Session: ok = read_string_field(out.session_id, session_, kinds[Session]); break;
                case Question: ok = read_string_field(out.question_id, question_, kinds[Question]); break;
                case Tier: ok = read_string_field(out.tier_id, tier_, kinds[Tier]); break;
                case Started: ok = read_string_field(started, started_, kinds[Started]); break;
                case Seconds: ok = read_number_field(seconds, kinds[Seconds], nullptr, nullptr); break;
                case OutcomeF: ok = read_string_field(outcome, outcome_, kinds[OutcomeF]); break;
                case Coverage: ok = read_number_field(coverage, kinds[Coverage], nullptr, nullptr); break;
                case Covered:
                    ok = read_string_array(fields_.covered ? &covered_ : nullptr, covered_text_, kinds[Covered]);
                    break;
                case Missed:
                    ok = read_string_array(fields_.missed ? &missed_ : nullptr, missed_text_, kinds[Missed]);
                    break;
                case Answer:
                    if (fields_.answer) {
                        ok = read_string_field(out.answer, answer_, kinds[Answer]);
                    } else {
                        kinds[Answer] = scan.peek() == '"' ? Kind::String : Kind::Other;
                        ok = kinds[Answer] == Kind::String ? scan.string(nullptr) : scan.skip_value(1);
                    }
                    break;
                case Retry:
                    kinds[Retry] = scan.peek() == 't' || scan.peek() == 'f' ? Kind::Other : Kind::String;
                    retry = scan.peek() == 't';
                    ok = scan.skip_value(1);
                    break;
                case Suggested: ok = read_string_field(suggested, suggested_, kinds[Suggested]); break;
                case Chosen: ok = read_string_field(chosen, chosen_, kinds[Chosen]); break;
                default: ok = scan.skip_value(1); break;
            }
            if (!ok) return scan.too_deep() ? too_deep_line() : torn_line();
        } while (scan.consume(','));
        if (!scan.consume('}')) return torn_line();
    }
    if (!scan.at_end()) return torn_line();

    if (kinds[Version] != Kind::Number || !version_integer) return Error{"missing 'schema_version'"};
    // Written as the line has it: a version too large for any integer type is still newer.
    if (version > Attempt::kSchemaVersion)
        return Error{fmt::format("schema_version {} is newer than this ehrprep reads ({})", version_text,
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
    if (fields_.covered) out.covered = covered_;
    if (fields_.missed) out.missed = missed_;
    return {};
}

namespace {

void assign(std::vector<std::string>& into, std::span<const std::string_view> from) {
    into.resize(from.size());
    for (std::size_t k = 0; k < from.size(); ++k) into[k].assign(from[k]);
}

// The view as an Attempt, reusing the attempt's strings.
void copy_attempt(const AttemptView& from, Attempt& to) {
    to.session_id.assign(from.session_id);
    to.question_id.assign(from.question_id);
    to.tier_id.assign(from.tier_id);
    to.started_at = from.started_at;
    to.seconds = from.seconds;
    to.outcome = from.outcome;
    to.coverage = from.coverage;
    assign(to.covered, from.covered);
    assign(to.missed, from.missed);
    to.answer.assign(from.answer);
    to.retry = from.retry;
    to.suggested_rating = from.suggested_rating;
    to.chosen_rating = from.chosen_rating;
}

}  // namespace

Result<void> parse_attempt(std::string_view line, Attempt& out, AnswerText answer) {
    AttemptReader reader(HistoryFields{true, true, answer == AnswerText::Read});
    AttemptView view;
    if (auto read = reader.read(line, view); !read) return read;
    copy_attempt(view, out);
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

namespace {

// The lines that begin in [begin, end) of a file, read a block at a time into a buffer that
// lines are handed out of as views. A line that outgrows kMaxHistoryLineBytes is stepped over
// rather than held.
class PartLines {
public:
    enum class Kind { Whole, Unterminated, TooLong };

    // A small part starts with a small buffer: it grows only if a line needs it to.
    PartLines(const RandomAccessFile& file, std::uint64_t begin, std::uint64_t end)
        : file_(file), end_(end), buffer_(std::clamp<std::uint64_t>(end - begin + 1, kSmallest, kBlock)) {
        // A part that starts after the first byte starts at the first line that begins in it:
        // the byte before tells whether one begins right at `begin`.
        if (begin > 0) {
            offset_ = begin - 1;
            skipping_ = true;
        }
    }

    // The next line, without its newline; false once the next line begins after the part.
    Result<bool> next(std::string_view& line, Kind& kind) {
        for (;;) {
            if (!skipping_ && !too_long_ && line_start_ == scanned_ && offset_ + line_start_ >= end_) return false;
            const char* data = buffer_.data();
            if (const void* found = std::memchr(data + scanned_, '\n', filled_ - scanned_)) {
                const auto newline = static_cast<std::size_t>(static_cast<const char*>(found) - data);
                const bool was_skipping = skipping_;
                // A line read whole in one block can be longer than the bound too.
                const bool too_long = too_long_ || newline - line_start_ > kMaxHistoryLineBytes;
                kind = too_long ? Kind::TooLong : Kind::Whole;
                line = std::string_view(data + line_start_, too_long ? 0 : newline - line_start_);
                line_start_ = scanned_ = newline + 1;
                skipping_ = too_long_ = false;
                if (was_skipping) continue;  // the end of a line that began in the part before
                return true;
            }
            scanned_ = filled_;
            if (at_end_) {
                if (line_start_ == filled_ && !too_long_) return false;
                const bool was_skipping = skipping_;
                const bool too_long = too_long_ || filled_ - line_start_ > kMaxHistoryLineBytes;
                kind = too_long ? Kind::TooLong : Kind::Unterminated;
                line = std::string_view(data + line_start_, too_long ? 0 : filled_ - line_start_);
                line_start_ = scanned_ = filled_;
                skipping_ = too_long_ = false;
                if (was_skipping) return false;
                return true;
            }
            if (skipping_ || filled_ - line_start_ > kMaxHistoryLineBytes) {
                // Nothing of this line is wanted: drop what was read of it and keep looking for its end.
                too_long_ = !skipping_;
                offset_ += filled_;
                filled_ = line_start_ = scanned_ = 0;
            } else if (line_start_ > 0) {
                // Keep the unfinished line, moved to the front to make room.
                std::memmove(buffer_.data(), data + line_start_, filled_ - line_start_);
                offset_ += line_start_;
                filled_ -= line_start_;
                scanned_ -= line_start_;
                line_start_ = 0;
            }
            if (filled_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
            auto read = fill();
            if (!read) return std::move(read).error();
        }
    }

private:
    static constexpr std::size_t kBlock = std::size_t{1} << 20;
    static constexpr std::size_t kSmallest = std::size_t{1} << 12;

    Result<void> fill() {
        const std::uint64_t from = offset_ + filled_;
        const std::uint64_t left = file_.size() > from ? file_.size() - from : 0;
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer_.size() - filled_));
        auto read = file_.read_at(from, std::span<char>(buffer_.data() + filled_, want));
        if (!read) return std::move(read).error();
        filled_ += *read;
        // A file that shrank since it was opened ends where it now ends.
        if (*read < want || filled_ == 0 || from + *read >= file_.size()) at_end_ = true;
        return {};
    }

    const RandomAccessFile& file_;
    std::uint64_t end_;
    std::vector<char> buffer_;
    std::uint64_t offset_ = 0;  // of buffer_[0] in the file
    std::size_t filled_ = 0;
    std::size_t line_start_ = 0;
    std::size_t scanned_ = 0;   // no newline in [line_start_, scanned_)
    bool at_end_ = false;
    bool skipping_ = false;     // in the tail of a line that began before the part
    bool too_long_ = false;
};

struct PartResult {
    std::size_t lines = 0;
    std::vector<HistoryWarning> warnings;  // numbered within the part
    std::optional<Error> error;
    std::exception_ptr failure;
};

void read_part(const RandomAccessFile& file, std::uint64_t begin, std::uint64_t end, HistoryFields fields,
               const std::function<void(const AttemptView&)>& visit, PartResult& result) {
    try {
        PartLines lines(file, begin, end);
        AttemptReader reader(fields);
        AttemptView attempt;
        std::string_view line;
        PartLines::Kind kind = PartLines::Kind::Whole;
        for (;;) {
            auto more = lines.next(line, kind);
            if (!more) {
                result.error = std::move(more).error();
                return;
            }
            if (!*more) return;
            ++result.lines;
            if (kind == PartLines::Kind::TooLong) {
                result.warnings.push_back(
                    {result.lines, fmt::format("longer than {} MiB", kMaxHistoryLineBytes >> 20)});
                continue;
            }
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            if (auto parsed = reader.read(line, attempt); !parsed) {
                // A last line without its newline may be one another process is still writing.
                if (kind == PartLines::Kind::Whole) result.warnings.push_back({result.lines, parsed.error().message});
                continue;
            }
            visit(attempt);
        }
    } catch (...) {
        result.failure = std::current_exception();
    }
}

}  // namespace

Result<void> HistoryStore::scan_parts(const HistorySplit& split, HistoryFields fields,
                                      const std::function<void(std::size_t part, const AttemptView&)>& visit,
                                      std::vector<HistoryWarning>& warnings) const {
    auto opened = files_.open_for_reading(path_);
    if (!opened) return std::move(opened).error();
    if (!*opened) return {};  // no history yet
    const RandomAccessFile& file = **opened;

    const std::size_t parts = split.starts.empty() ? std::max<std::size_t>(split.parts, 1) : split.starts.size() + 1;
    std::vector<std::uint64_t> bounds{0};
    for (std::size_t k = 1; k < parts; ++k) {
        const std::uint64_t start = split.starts.empty() ? file.size() / parts * k : split.starts[k - 1];
        bounds.push_back(std::clamp(start, bounds.back(), file.size()));
    }
    bounds.push_back(file.size());

    std::vector<PartResult> results(parts);
    auto run = [&](std::size_t part) {
        read_part(file, bounds[part], bounds[part + 1], fields,
                  [&](const AttemptView& attempt) { visit(part, attempt); }, results[part]);
    };
    std::vector<std::thread> threads;
    std::vector<std::size_t> unstarted;
    for (std::size_t part = 1; part < parts; ++part) {
        try {
            threads.emplace_back(run, part);
        } catch (const std::system_error&) {
            unstarted.push_back(part);  // no thread to be had: read it here, after the first
        }
    }
    run(0);
    for (std::size_t part : unstarted) run(part);
    for (std::thread& thread : threads) thread.join();

    std::size_t lines_before = 0;
    for (PartResult& result : results) {
        if (result.failure) std::rethrow_exception(result.failure);
        if (result.error) return std::move(*result.error);
        for (HistoryWarning& warning : result.warnings)
            warnings.push_back({lines_before + warning.line, std::move(warning.message)});
        lines_before += result.lines;
    }
    return {};
}

Result<void> HistoryStore::scan(const std::function<void(const Attempt&)>& visit, std::vector<HistoryWarning>& warnings,
                                AnswerText answer) const {
    Attempt attempt;
    return scan_parts(HistorySplit{}, HistoryFields{true, true, answer == AnswerText::Read},
                      [&](std::size_t, const AttemptView& view) {
                          copy_attempt(view, attempt);
                          visit(attempt);
                      },
                      warnings);
}

}  // namespace ehrprep
