#include "ehrprep/report_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "ehrprep/report_cells.hpp"
#include "ehrprep/utf8.hpp"

namespace ehrprep {
namespace {

// Writes JSON as it goes, laid out as nlohmann's dump(2) lays out the same document, into a
// buffer that goes to the stream whenever it has grown: the report of a long history has
// hundreds of thousands of sessions, and none of them is held as a document.
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) { buffer_.reserve(kFlushAt + 4096); }

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    // A member's key; its value follows.
    void key(std::string_view name) {
        next_item();
        append_string(name);
        buffer_ += ": ";
        pending_key_ = true;
    }

    // A key spelled in this file: plain ASCII, so it is copied without being checked. A long
    // history's report writes several million of them.
    template <std::size_t N>
    void key(const char (&name)[N]) {
        next_item();
        buffer_ += '"';
        buffer_.append(name, N - 1);
        buffer_ += "\": ";
        pending_key_ = true;
    }

    void string(std::string_view text) {
        next_item();
        append_string(text);
    }

    void integer(std::uint64_t value) {
        next_item();
        char digits[24];
        buffer_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
    }

    void boolean(bool value) {
        next_item();
        buffer_ += value ? "true" : "false";
    }

    void null() {
        next_item();
        buffer_ += "null";
    }

    // A fraction rounded to four places, as json_fraction() gives it; null for none.
    void fraction(std::optional<double> value) {
        if (!value) return null();
        next_item();
        write_fraction(std::round(*value * 10000.0));
    }

    void utc(Timestamp time) {
        next_item();
        buffer_ += '"';
        append_utc(buffer_, time);
        buffer_ += '"';
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
        buffer_ += json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }

    void finish() {
        buffer_ += '\n';
        flush();
    }

private:
    static constexpr std::size_t kFlushAt = 1 << 16;

    struct Level {
        bool empty = true;
    };

    void open(char bracket) {
        next_item();
        buffer_ += bracket;
        levels_.push_back(Level{});
    }

    void close(char bracket) {
        const bool empty = levels_.back().empty;
        levels_.pop_back();
        if (!empty) {
            buffer_ += '\n';
            indent(levels_.size());
        }
        buffer_ += bracket;
        if (buffer_.size() >= kFlushAt) flush();
    }

    // Before a value: nothing after a key, else the separator and the indent of an item.
    void next_item() {
        if (pending_key_) {
            pending_key_ = false;
            return;
        }
        if (levels_.empty()) return;
        // The separator and the indent in one append: a report writes millions of them.
        const std::size_t skip = levels_.back().empty ? 1 : 0;
        levels_.back().empty = false;
        const std::size_t width = 2 + 2 * levels_.size();
        if (width <= kSeparator.size()) {
            buffer_.append(kSeparator.data() + skip, width - skip);
        } else {
            buffer_.append(kSeparator.data() + skip, 2 - skip);
            indent(levels_.size());
        }
    }

    void indent(std::size_t depth) { buffer_.append(depth * 2, ' '); }

    static constexpr std::string_view kSeparator = ",\n                ";

    void append_string(std::string_view text) {
        // Ids, tiers and dates are printable ASCII: copied whole once that is seen.
        const bool plain_ascii = std::all_of(text.begin(), text.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
        });
        if (plain_ascii) {
            buffer_ += '"';
            buffer_ += text;
            buffer_ += '"';
            return;
        }
        if (!is_valid_utf8(text)) {
            // As dump() does with error_handler_t::replace, which decides how many U+FFFD stand
            // for a broken sequence; text from the history never needs this, having been
            // repaired when read.
            buffer_ += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
        buffer_ += '"';
        std::size_t plain = 0;
        for (std::size_t k = 0; k < text.size(); ++k) {
            const auto c = static_cast<unsigned char>(text[k]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            buffer_.append(text, plain, k - plain);
            plain = k + 1;
            switch (c) {
                case '"': buffer_ += "\\\""; break;
                case '\\': buffer_ += "\\\\"; break;
                case '\b': buffer_ += "\\b"; break;
                case '\f': buffer_ += "\\f"; break;
                case '\n': buffer_ += "\\n"; break;
                case '\r': buffer_ += "\\r"; break;
                case '\t': buffer_ += "\\t"; break;
                default: fmt::format_to(std::back_inserter(buffer_), "\\u{:04x}", c); break;
            }
        }
        buffer_.append(text, plain);
        buffer_ += '"';
    }

    // k / 10000 for the whole number k, written as dump() writes that double: the fewest
    // places that give it back, and at least one.
    void write_fraction(double k) {
        if (std::signbit(k)) buffer_ += '-';
        const auto whole = static_cast<std::uint64_t>(std::fabs(k));
        char digits[24];
        buffer_.append(digits, std::to_chars(digits, digits + sizeof digits, whole / 10000).ptr);
        buffer_ += '.';
        const std::uint64_t places = whole % 10000;
        char four[4] = {static_cast<char>('0' + places / 1000), static_cast<char>('0' + places / 100 % 10),
                        static_cast<char>('0' + places / 10 % 10), static_cast<char>('0' + places % 10)};
        std::size_t count = 4;
        while (count > 1 && four[count - 1] == '0') --count;
        buffer_.append(four, count);
    }

    void flush() {
        out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        buffer_.clear();
    }

    std::ostream& out_;
    std::string buffer_;
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
    for (std::size_t k = 0; k < r.sessions.size(); ++k) {
        const SessionList::Totals& totals = r.sessions.totals(k);
        json.begin_object();
        json.key("id");
        json.string(r.sessions.id(k));
        json.key("started_at");
        json.utc(totals.started_at);
        json.key("ended_at");
        json.utc(totals.ended_at);
        write_coverage(json, totals.coverage.stats());
        json.key("tiers");
        json.begin_array();
        for (std::uint32_t tier : r.sessions.tier_numbers(k)) json.string(r.sessions.tier_id(tier));
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
        for (std::size_t t = 0; t < r.tiers.size() && t < d.tiers.size(); ++t) {
            if (!d.tiers[t]) continue;
            json.key(r.tiers[t].id);
            json.fraction(d.tiers[t]);
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
