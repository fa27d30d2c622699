#include "ehrprep/report_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ostream>
#include <sstream>
#include <string_view>

#include "ehrprep/report_cells.hpp"
#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

// Bytes written without a capacity check per piece: each writer call first makes room for
// everything it may add. A long history's report is millions of small pieces.
class OutBuffer {
public:
    void make_room(std::size_t more) {
        if (size_ + more > bytes_.size()) bytes_.resize(std::max(bytes_.size() * 2, size_ + more));
    }
    void put(char c) { bytes_[size_++] = c; }
    void put(std::string_view text) {
        std::memcpy(bytes_.data() + size_, text.data(), text.size());
        size_ += text.size();
    }
    void put_spaces(std::size_t count) {
        std::memset(bytes_.data() + size_, ' ', count);
        size_ += count;
    }
    void put_number(std::uint64_t value) {
        size_ = static_cast<std::size_t>(std::to_chars(bytes_.data() + size_, bytes_.data() + bytes_.size(), value).ptr -
                                         bytes_.data());
    }
    [[nodiscard]] std::string_view view() const { return {bytes_.data(), size_}; }
    [[nodiscard]] std::size_t size() const { return size_; }
    void clear() { size_ = 0; }

private:
    std::vector<char> bytes_;
    std::size_t size_ = 0;
};

// Writes JSON as it goes, laid out as nlohmann's dump(2) lays out the same document, into a
// buffer that goes to the stream whenever it has grown: the report of a long history has
// hundreds of thousands of sessions, and none of them is held as a document.
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) { buffer_.make_room(kFlushAt + 4096); }

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    // A member's key; its value follows.
    void key(std::string_view name) {
        next_item();
        append_string(name);
        buffer_.make_room(2);
        buffer_.put(": ");
        pending_key_ = true;
    }

    // A key spelled in this file: plain ASCII, so it is copied without being checked.
    template <std::size_t N>
    void key(const char (&name)[N]) {
        next_item();
        buffer_.make_room(N + 3);
        buffer_.put('"');
        buffer_.put(std::string_view(name, N - 1));
        buffer_.put("\": ");
        pending_key_ = true;
    }

    void string(std::string_view text) {
        next_item();
        append_string(text);
    }

    void integer(std::uint64_t value) {
        next_item();
        buffer_.make_room(kNumberRoom);
        buffer_.put_number(value);
    }

    void boolean(bool value) {
        next_item();
        buffer_.make_room(5);
        buffer_.put(value ? "true" : "false");
    }

    void null() {
        next_item();
        buffer_.make_room(4);
        buffer_.put("null");
    }

    // A fraction rounded to four places, as json_fraction() gives it; null for none.
    void fraction(std::optional<double> value) {
        if (!value) return null();
        next_item();
        write_fraction(std::round(*value * 10000.0));
    }

    void utc(Timestamp time) {
        next_item();
        scratch_.clear();
        append_utc(scratch_, time);
        buffer_.make_room(scratch_.size() + 2);
        buffer_.put('"');
        buffer_.put(scratch_);
        buffer_.put('"');
    }

    // A value built by a cell of report_cells: a scalar.
    void value(const OrderedJson& json) {
        if (json.is_null()) return null();
        if (json.is_boolean()) return boolean(json.get<bool>());
        if (json.is_number_unsigned()) return integer(json.get<std::uint64_t>());
        if (json.is_string()) return string(json.get_ref<const std::string&>());
        if (json.is_number_float()) {
            const double scaled = json.get<double>() * 10000.0;
            if (std::round(scaled) / 10000.0 == json.get<double>()) {
                next_item();
                return write_fraction(std::round(scaled));
            }
        }
        next_item();
        put_text(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }

    void finish() {
        buffer_.make_room(1);
        buffer_.put('\n');
        flush();
    }

private:
    static constexpr std::size_t kFlushAt = 1 << 16;
    static constexpr std::size_t kNumberRoom = 24;  // a 64-bit number and its sign

    struct Level {
        bool empty = true;
    };

    void open(char bracket) {
        next_item();
        buffer_.make_room(1);
        buffer_.put(bracket);
        levels_.push_back(Level{});
    }

    void close(char bracket) {
        const bool empty = levels_.back().empty;
        levels_.pop_back();
        buffer_.make_room(2 + 2 * levels_.size());
        if (!empty) {
            buffer_.put('\n');
            buffer_.put_spaces(2 * levels_.size());
        }
        buffer_.put(bracket);
        if (buffer_.size() >= kFlushAt) flush();
    }

    // Before a value: nothing after a key, else the separator and the indent of an item.
    void next_item() {
        if (pending_key_) {
            pending_key_ = false;
            return;
        }
        if (levels_.empty()) return;
        const bool first = levels_.back().empty;
        levels_.back().empty = false;
        buffer_.make_room(2 + 2 * levels_.size());
        if (!first) buffer_.put(',');
        buffer_.put('\n');
        buffer_.put_spaces(2 * levels_.size());
    }

    void put_text(std::string_view text) {
        buffer_.make_room(text.size());
        buffer_.put(text);
    }

    void append_string(std::string_view text) {
        // Ids, tiers and dates are printable ASCII: copied whole once that is seen.
        const bool plain_ascii = std::all_of(text.begin(), text.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
        });
        if (plain_ascii) {
            buffer_.make_room(text.size() + 2);
            buffer_.put('"');
            buffer_.put(text);
            buffer_.put('"');
            return;
        }
        if (!is_valid_utf8(text)) {
            // As dump() does with error_handler_t::replace, which decides how many U+FFFD stand
            // for a broken sequence; text from the history never needs this, having been
            // repaired when read.
            put_text(nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            return;
        }
        // At worst every byte becomes a six-byte \u escape.
        constexpr std::size_t kWorstEscape = 6;
        buffer_.make_room(text.size() * kWorstEscape + 2);
        buffer_.put('"');
        std::size_t plain = 0;
        for (std::size_t k = 0; k < text.size(); ++k) {
            const auto c = static_cast<unsigned char>(text[k]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            buffer_.put(text.substr(plain, k - plain));
            plain = k + 1;
            switch (c) {
                case '"': buffer_.put("\\\""); break;
                case '\\': buffer_.put("\\\\"); break;
                case '\b': buffer_.put("\\b"); break;
                case '\f': buffer_.put("\\f"); break;
                case '\n': buffer_.put("\\n"); break;
                case '\r': buffer_.put("\\r"); break;
                case '\t': buffer_.put("\\t"); break;
                default: {
                    constexpr std::string_view kHex = "0123456789abcdef";
                    buffer_.put("\\u00");
                    buffer_.put(kHex[c >> 4]);
                    buffer_.put(kHex[c & 0xF]);
                    break;
                }
            }
        }
        buffer_.put(text.substr(plain));
        buffer_.put('"');
    }

    // k / 10000 for the whole number k, written as dump() writes that double: the fewest
    // places that give it back, and at least one.
    void write_fraction(double k) {
        buffer_.make_room(kNumberRoom + 6);
        if (std::signbit(k)) buffer_.put('-');
        const auto whole = static_cast<std::uint64_t>(std::fabs(k));
        buffer_.put_number(whole / 10000);
        buffer_.put('.');
        const std::uint64_t places = whole % 10000;
        const char four[4] = {static_cast<char>('0' + places / 1000), static_cast<char>('0' + places / 100 % 10),
                              static_cast<char>('0' + places / 10 % 10), static_cast<char>('0' + places % 10)};
        std::size_t count = 4;
        while (count > 1 && four[count - 1] == '0') --count;
        buffer_.put(std::string_view(four, count));
    }

    void flush() {
        const std::string_view bytes = buffer_.view();
        out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        buffer_.clear();
    }

    std::ostream& out_;
    OutBuffer buffer_;
    std::string scratch_;  // a UTC time, before it is copied in
    std::vector<Level> levels_;
    bool pending_key_ = false;
};

void write_coverage(JsonWriter& json, const CoverageStats& stats) {
    json.key("attempts");
    json.integer(stats.attempts);
    json.key("scored_attempts");
    json.integer(stats.scored);
    json.key("mean_coverage");
    json.fraction(stats.mean());
    json.key("best_coverage");
    json.fraction(stats.best());
}

// A tier's figures, and the summary's, which are the overall tier's without its id and name.
void write_tier_figures(JsonWriter& json, const TierProgress& t) {
    json.key("questions_practised");
    json.integer(t.questions_practised);
    json.key("questions_total");
    json.integer(t.questions_total);
    write_coverage(json, t.coverage);
    json.key("change");
    json.fraction(t.change);
}

template <typename Strings>
void write_strings(JsonWriter& json, const Strings& items) {
    json.begin_array();
    for (const auto& item : items) json.string(item);
    json.end_array();
}

void write_date_or_null(JsonWriter& json, const std::optional<Date>& date) {
    if (date) {
        json.string(format_date(*date));
    } else {
        json.null();
    }
}

}  // namespace

void write_json(const ProgressReport& r, std::ostream& out) {
    JsonWriter json(out);
    json.begin_object();
    json.key("schema_version");
    json.integer(kReportSchemaVersion);
    json.key("generated_on");
    json.string(format_date(r.today));
    json.key("bank");
    json.string(r.bank_title);

    json.key("filter");
    json.begin_object();
    json.key("tiers");
    write_strings(json, r.filter.tiers);
    json.key("since");
    write_date_or_null(json, r.filter.since);
    json.key("last_sessions");
    if (r.filter.last_sessions) {
        json.integer(*r.filter.last_sessions);
    } else {
        json.null();
    }
    json.end_object();

    json.key("summary");
    json.begin_object();
    json.key("sessions");
    json.integer(r.sessions.size());
    json.key("outcomes");
    json.begin_object();
    json.key("answered");
    json.integer(r.outcomes.answered);
    json.key("timed_out");
    json.integer(r.outcomes.timed_out);
    json.key("skipped");
    json.integer(r.outcomes.skipped);
    json.key("quit");
    json.integer(r.outcomes.quit);
    json.end_object();
    write_tier_figures(json, r.overall);
    json.key("current_streak_days");
    json.integer(r.current_streak_days);
    json.key("longest_streak_days");
    json.integer(r.longest_streak_days);
    json.key("last_practised");
    write_date_or_null(json, r.last_practised);
    json.key("reviews_due_now");
    json.integer(r.reviews_due_now);
    json.end_object();

    json.key("tiers");
    json.begin_array();
    for (const TierProgress& t : r.tiers) {
        json.begin_object();
        json.key("id");
        json.string(t.id);
        json.key("name");
        json.string(t.name);
        write_tier_figures(json, t);
        json.end_object();
    }
    json.end_array();

    json.key("questions");
    json.begin_array();
    for (const QuestionProgress& q : r.questions) {
        json.begin_object();
        json.key("id");
        json.string(q.id);
        json.key("tier");
        json.string(q.tier_id);
        json.key("in_bank");
        json.boolean(q.in_bank);
        json.key("question");
        json.string(q.text);
        json.key("hint");
        json.string(q.hint);
        json.key("scored_attempts");
        json.integer(q.coverage.scored);
        for (const QuestionField& field : question_fields()) {
            json.key(field.key);
            json.value(field.json(q));
        }
        json.key("latest_missed");
        write_strings(json, q.latest_missed);
        json.end_object();
    }
    json.end_array();

    json.key("weakest");
    json.begin_array();
    for (std::size_t k = 0; k < std::min(kWeakestInReports, r.weakest.size()); ++k) json.string(weakest_at(r, k).id);
    json.end_array();

    json.key("most_missed_concepts");
    json.begin_array();
    for (const ConceptMisses& c : r.most_missed) {
        json.begin_object();
        json.key("concept");
        json.string(c.label);
        json.key("question");
        json.string(c.question_id);
        json.key("missed");
        json.integer(c.missed);
        json.key("scored_attempts");
        json.integer(c.scored_attempts);
        json.end_object();
    }
    json.end_array();

    json.key("sessions");
    json.begin_array();
    SessionList::Entry session;
    for (std::size_t k = 0; k < r.sessions.size(); ++k) {
        r.sessions.read(k, session);
        const SessionList::Totals& totals = session.totals;
        json.begin_object();
        json.key("id");
        json.string(session.id);
        json.key("started_at");
        json.utc(totals.started_at);
        json.key("ended_at");
        json.utc(totals.ended_at);
        write_coverage(json, totals.coverage.stats());
        json.key("tiers");
        json.begin_array();
        for (std::uint32_t tier : session.tiers) json.string(r.sessions.tier_id(tier));
        json.end_array();
        json.end_object();
    }
    json.end_array();

    json.key("daily");
    json.begin_array();
    for (const DailyCoverage& d : r.daily) {
        json.begin_object();
        json.key("date");
        json.string(format_date(d.date));
        json.key("mean_coverage");
        json.fraction(d.overall);
        json.key("tiers");
        json.begin_object();
        for (const auto& [place, mean] : d.tier_means) {
            json.key(r.tiers[place].id);
            json.fraction(mean);
        }
        json.end_object();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.finish();
}

std::string render_json(const ProgressReport& report) {
    std::ostringstream out;
    write_json(report, out);
    return std::move(out).str();
}

}  // namespace ehrprep
