#include "ehrprep/session_window.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace ehrprep;

namespace {

std::vector<std::string> open_ids(const SessionWindow& window) {
    std::vector<std::string> ids;
    for (std::uint32_t k = 0; k < window.size(); ++k) ids.emplace_back(window.id(k));
    return ids;
}

// Adds each id in turn, folding as the window asks, as a reader does.
void read(SessionWindow& window, const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
        if (window.should_fold()) window.close(window.least_recent());
        window.add(id);
    }
}

}  // namespace

TEST_CASE("a session window numbers sessions as first seen, whatever lines come between", "[session_window]") {
    SessionWindow window(std::nullopt);
    CHECK(window.add("b") == 0);
    CHECK(window.add("a") == 1);
    CHECK(window.add("b") == 0);
    CHECK(window.add("c") == 2);
    CHECK(window.first_seen(2) == 2);
    CHECK_FALSE(window.should_fold());
    CHECK(open_ids(window) == std::vector<std::string>{"b", "a", "c"});
}

TEST_CASE("a session window folds the sessions seen least recently, not those that started first", "[session_window]") {
    SessionWindow window(2);
    read(window, {"s1", "s2", "s3", "s1", "s4"});
    REQUIRE(window.should_fold());
    // s1 wrote a line after s2 and s3: a terminal left open stays open.
    const std::vector<SessionFate> fates = window.least_recent();
    using F = SessionFate;
    CHECK(fates == std::vector<SessionFate>{F::Keep, F::Fold, F::Fold, F::Keep});
    const std::vector<std::uint32_t> numbers = window.close(fates);
    CHECK(numbers == std::vector<std::uint32_t>{0, SessionWindow::kNone, SessionWindow::kNone, 1});
    CHECK(open_ids(window) == std::vector<std::string>{"s1", "s4"});
    CHECK(window.first_seen(1) == 3);
    CHECK(window.add("s5") == 2);
    CHECK_FALSE(window.out_of_order());
}

TEST_CASE("a session window notices a folded session coming back, or a new one sorting before a folded one",
          "[session_window]") {
    for (const char* late : {"s2", "s0", "s3"}) {
        CAPTURE(late);
        SessionWindow window(1);
        read(window, {"s2", "s3", "s4", "s5", late});
        CHECK(window.out_of_order());
    }
    SessionWindow dropped(1);
    read(dropped, {"s2", "s3"});
    dropped.close({SessionFate::Drop, SessionFate::Keep});
    dropped.add("s1");
    CHECK_FALSE(dropped.out_of_order());  // only folded sessions can come back wrongly
}

TEST_CASE("a later part of a session window keeps its first sessions open for the merge", "[session_window]") {
    SessionWindow first(2);
    read(first, {"s01", "s02", "s03", "s04", "s05"});
    SessionWindow later = first.part();
    // s05 continues from the first part, seen second here; s07 and s08 fold in this part.
    read(later, {"s06", "s05", "s07", "s08", "s09", "s10", "s11"});
    CHECK(open_ids(later) == std::vector<std::string>{"s06", "s05", "s09", "s10", "s11"});
    const std::vector<std::uint32_t> numbers = first.merge(later);
    REQUIRE(numbers.size() == later.size());
    for (std::uint32_t k = 0; k < numbers.size(); ++k) CHECK(first.id(numbers[k]) == later.id(k));
    CHECK(first.id(numbers[1]) == "s05");
    CHECK(numbers[1] < numbers[0]);  // s05 keeps its number here; s06 is numbered next
    CHECK(first.first_seen_offset() == 5);
    CHECK_FALSE(first.out_of_order());

    // A session the later part folded may be one still open here: that needs a second reading.
    SessionWindow crossing(1);
    read(crossing, {"s1", "s2"});
    SessionWindow after = crossing.part();
    read(after, {"s3", "s2", "s4", "s5", "s6", "s7"});
    crossing.merge(after);
    CHECK(crossing.out_of_order());
}
