#include "ehrprep/history.hpp"

#include <charconv>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

constexpr std::string_view kOutcomeNames[] = {"answered", "timed_out", "skipped", "quit"};

}  // namespace

std::string_view outcome_name(Outcome outcome) { return kOutcomeNames[static_cast<int>(outcome)]; }

std::optional<Outcome> outcome_from_name(std::string_view name) {
    for (int k = 0; k < 4; ++k)
        if (kOutcomeNames[k] == name) return static_cast<Outcome>(k);
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
    // Answers were repaired to valid UTF-8 before scoring; replace anything else rather than throw.
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Attempt> parse_attempt(std::string_view line) {
    nlohmann::json json = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (json.is_discarded()) return Error{"not valid JSON (a torn or edited line)"};
    if (!json.is_object()) return Error{"not a JSON object"};
    auto version = json.find("schema_version");
    if (version == json.end() || !version->is_number_integer()) return Error{"missing 'schema_version'"};
    if (version->get<int>() > Attempt::kSchemaVersion)
        return Error{fmt::format("schema_version {} is newer than this ehrprep reads ({})", version->get<int>(),
                                 Attempt::kSchemaVersion)};
    Attempt a;
    try {
        a.session_id = json.at("session").get<std::string>();
        a.question_id = json.at("question").get<std::string>();
        a.tier_id = json.at("tier").get<std::string>();
        auto started = parse_utc(json.at("started_at").get<std::string>());
        if (!started) return Error{"field 'started_at': " + started.error().message};
        a.started_at = *started;
        a.seconds = json.at("seconds").get<double>();
        const std::string outcome = json.at("outcome").get<std::string>();
        const auto known = outcome_from_name(outcome);
        if (!known) return Error{fmt::format("field 'outcome': unknown value '{}'", outcome)};
        a.outcome = *known;
        a.coverage = json.at("coverage").get<double>();
        if (!(a.coverage >= 0.0 && a.coverage <= 1.0)) return Error{"field 'coverage' must be between 0 and 1"};
        a.covered = json.at("covered").get<std::vector<std::string>>();
        a.missed = json.at("missed").get<std::vector<std::string>>();
        a.answer = json.value("answer", std::string{});
    } catch (const nlohmann::json::exception& e) {
        // at() and get() name the missing or mistyped field in their message.
        std::string what = e.what();
        auto bracket = what.find("] ");
        return Error{bracket == std::string::npos ? what : what.substr(bracket + 2)};
    }
    if (a.session_id.empty() || a.question_id.empty()) return Error{"empty 'session' or 'question'"};
    return a;
}

Result<void> HistoryStore::append(const Attempt& attempt) {
    return files_.append_locked(path_, serialize_attempt(attempt) + "\n");
}

Result<void> HistoryStore::scan(const std::function<void(const Attempt&)>& visit,
                                std::vector<HistoryWarning>& warnings) const {
    return files_.for_each_line(path_, [&](std::string_view line, std::size_t number) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
        auto attempt = parse_attempt(line);
        if (!attempt) {
            warnings.push_back({number, attempt.error().message});
            return;
        }
        visit(*attempt);
    });
}


namespace {

// A strict scanner for one history line: enough JSON to read an attempt, and a fast path that
// steps over the answer, which is most of each line's bytes.
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

    bool read_string(std::string& out) {
        out.clear();
        if (!consume('"')) return false;
        while (i_ < s_.size()) {
            std::size_t plain = i_;
            while (plain < s_.size() && s_[plain] != '"' && s_[plain] != '\\' &&
                   static_cast<unsigned char>(s_[plain]) >= 0x20)
                ++plain;
            out.append(s_.data() + i_, plain - i_);
            i_ = plain;
            if (i_ >= s_.size()) return false;
            const char c = s_[i_++];
            if (c == '"') return true;
            if (c != '\\') return false;
            if (i_ >= s_.size()) return false;
            const char e = s_[i_++];
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!read_hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
                        i_ += 2;
                        if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return false;
                    }
                    append_utf8(out, static_cast<char32_t>(cp));
                    break;
                }
                default: return false;
            }
        }
        return false;
    }

    // Finds the closing quote with memchr instead of decoding: answers are long and unused here.
    bool skip_string_fast() {
        if (!consume('"')) return false;
        for (;;) {
            const void* hit = std::memchr(s_.data() + i_, '"', s_.size() - i_);
            if (hit == nullptr) return false;
            const auto quote = static_cast<std::size_t>(static_cast<const char*>(hit) - s_.data());
            std::size_t backslashes = 0;
            while (quote - backslashes > i_ && s_[quote - backslashes - 1] == '\\') ++backslashes;
            i_ = quote + 1;
            if (backslashes % 2 == 0) return true;
        }
    }

    // A JSON number; `integer` tells whether it had no fraction or exponent.
    bool read_number(double& value, bool& integer) {
        skip_space();
        const std::size_t start = i_;
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
        if (s_[i_] == '0') {
            ++i_;
        } else {
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        integer = true;
        if (i_ < s_.size() && s_[i_] == '.') {
            integer = false;
            ++i_;
            if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            integer = false;
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        auto [end, ec] = std::from_chars(s_.data() + start, s_.data() + i_, value);
        return ec == std::errc{} && end == s_.data() + i_;
    }

    bool skip_value(int depth = 0) {
        if (depth > 64) return false;
        std::string ignored;
        double number = 0;
        bool integer = false;
        switch (peek()) {
            case '"': return skip_string_fast();
            case '{':
                consume('{');
                if (consume('}')) return true;
                do {
                    if (!read_string(ignored) || !consume(':') || !skip_value(depth + 1)) return false;
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
            default: return read_number(number, integer);
        }
    }

    bool literal(std::string_view word) {
        skip_space();
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

private:
    bool read_hex4(std::uint32_t& cp) {
        if (i_ + 4 > s_.size()) return false;
        cp = 0;
        auto [end, ec] = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, cp, 16);
        if (ec != std::errc{} || end != s_.data() + i_ + 4) return false;
        i_ += 4;
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

enum class Kind { Missing, String, Number, Array, Other };

}  // namespace

Result<void> parse_attempt_summary(std::string_view line, Attempt& out) {
    const Error torn{"not valid JSON (a torn or edited line)"};
    LineScanner scan(line);
    if (scan.peek() != '{') {
        LineScanner whole(line);
        if (whole.skip_value() && whole.at_end()) return Error{"not a JSON object"};
        return torn;
    }
    scan.consume('{');

    // Fields are remembered by kind so that errors come out in parse_attempt's order.
    enum Field { Version, Session, Question, Tier, Started, Seconds, OutcomeF, Coverage, Covered, Missed, Answer, Count };
    static constexpr std::string_view kNames[Count] = {"schema_version", "session", "question", "tier", "started_at",
                                                       "seconds", "outcome", "coverage", "covered", "missed", "answer"};
    Kind kinds[Count] = {};
    bool version_integer = false;
    double version = 0, seconds = 0, coverage = 0;
    std::string started, outcome, key;
    out.answer.clear();

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
            return done(scan.skip_value());
        }
        scan.consume('[');
        kind = Kind::Array;
        if (scan.consume(']')) return done(true);
        do {
            if (scan.peek() != '"') {
                kind = Kind::Other;
                if (!scan.skip_value()) return done(false);
                continue;
            }
            if (count == into.size()) into.emplace_back();
            if (!scan.read_string(into[count++])) return done(false);
        } while (scan.consume(','));
        return done(scan.consume(']'));
    };
    auto read_string_field = [&](std::string& into, Kind& kind) {
        if (scan.peek() != '"') {
            kind = Kind::Other;
            return scan.skip_value();
        }
        kind = Kind::String;
        return scan.read_string(into);
    };
    auto read_number_field = [&](double& into, Kind& kind, bool* integer) {
        const char c = scan.peek();
        if (c != '-' && !(c >= '0' && c <= '9')) {
            kind = Kind::Other;
            return scan.skip_value();
        }
        kind = Kind::Number;
        bool is_integer = false;
        if (!scan.read_number(into, is_integer)) return false;
        if (integer != nullptr) *integer = is_integer;
        return true;
    };

    if (!scan.consume('}')) {
        do {
            if (!scan.read_string(key) || !scan.consume(':')) return torn;
            int field = Count;
            for (int k = 0; k < Count; ++k)
                if (kNames[k] == key) field = k;
            bool ok = true;
            switch (field) {
                case Version: ok = read_number_field(version, kinds[Version], &version_integer); break;
                case Session: ok = read_string_field(out.session_id, kinds[Session]); break;
                case Question: ok = read_string_field(out.question_id, kinds[Question]); break;
                case Tier: ok = read_string_field(out.tier_id, kinds[Tier]); break;
                case Started: ok = read_string_field(started, kinds[Started]); break;
                case Seconds: ok = read_number_field(seconds, kinds[Seconds], nullptr); break;
                case OutcomeF: ok = read_string_field(outcome, kinds[OutcomeF]); break;
                case Coverage: ok = read_number_field(coverage, kinds[Coverage], nullptr); break;
                case Covered: ok = read_string_array(out.covered, kinds[Covered]); break;
                case Missed: ok = read_string_array(out.missed, kinds[Missed]); break;
                case Answer:
                    if (scan.peek() == '"') {
                        kinds[Answer] = Kind::String;
                        ok = scan.skip_string_fast();
                    } else {
                        kinds[Answer] = Kind::Other;
                        ok = scan.skip_value();
                    }
                    break;
                default: ok = scan.skip_value(); break;
            }
            if (!ok) return torn;
        } while (scan.consume(','));
        if (!scan.consume('}')) return torn;
    }
    if (!scan.at_end()) return torn;

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
    out.seconds = seconds;
    out.coverage = coverage;
    if (out.session_id.empty() || out.question_id.empty()) return Error{"empty 'session' or 'question'"};
    return {};
}

Result<void> HistoryStore::scan_summaries(const std::function<void(const Attempt&)>& visit,
                                          std::vector<HistoryWarning>& warnings) const {
    Attempt attempt;
    return files_.for_each_line(path_, [&](std::string_view line, std::size_t number) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
        if (auto parsed = parse_attempt_summary(line, attempt); !parsed) {
            warnings.push_back({number, parsed.error().message});
            return;
        }
        visit(attempt);
    });
}

}  // namespace ehrprep
