#include <catch2/catch.hpp>

#include <sstream>

#include "ehrprep/embedded_bank.hpp"
#include "ehrprep/history.hpp"
#include "ehrprep/posix_platform.hpp"
#include "ehrprep/quiz_session.hpp"
#include "support/process.hpp"
#include "support/quiz_fakes.hpp"

using namespace ehrprep;
using namespace std::chrono_literals;
using test::ScriptedTurn;

namespace {

const char* kEmrAnswer =
    "EMRs are digital paper charts inside one practice; EHRs follow the patient across organizations and support "
    "interoperability.";

// A session over the built-in bank with a scripted person, a manual clock and a real
// history file in a temporary directory.
struct Harness {
    QuestionBank bank = embedded_bank();
    Scorer scorer{bank, "bank"};
    test::TempDir dir;
    PosixFileSystem files;
    HistoryStore history{files, dir.file("history.jsonl")};
    test::ManualClock clock;
    std::ostringstream out, err;

    QuizOutcome run(test::ScriptedAnswerSource& answers, QuizSettings settings) {
        QuizSession session(bank, scorer, history, clock, answers, out, err, QuizLayout{Style(false), 80, false});
        if (settings.session_id.empty()) settings.session_id = "S1";
        return session.run(settings);
    }
    std::vector<std::size_t> ids(std::initializer_list<const char*> names) const {
        std::vector<std::size_t> out;
        for (const char* name : names) out.push_back(*bank.question_index(name));
        return out;
    }
    std::vector<Attempt> saved() const {
        std::vector<Attempt> attempts;
        std::vector<HistoryWarning> warnings;
        REQUIRE(history.scan([&](const Attempt& a) { attempts.push_back(a); }, warnings));
        return attempts;
    }
};

}  // namespace

TEST_CASE("a session asks, scores and records each question", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 30}, {AnswerEnd::Submitted, "FHIR", 5}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1", "beginner-2"}), {}, true, {}, {}});
    REQUIRE(outcome.attempts.size() == 2);
    CHECK_FALSE(outcome.interrupted);
    CHECK(outcome.attempts[0].coverage == 1.0);
    CHECK(outcome.attempts[0].seconds == Approx(30));
    CHECK(outcome.attempts[0].outcome == Outcome::Answered);
    CHECK(outcome.attempts[1].coverage < 0.5);
    const std::string text = h.out.str();
    CHECK(text.find("[1/2] Beginner - beginner-1 - 2:00 to answer") != std::string::npos);
    CHECK(text.find("What is the difference between an EMR and an EHR?") != std::string::npos);
    CHECK(text.find("Coverage 100%") != std::string::npos);
    CHECK(text.find("Answered in 0:30 of 2:00.") != std::string::npos);
    CHECK(text.find("Session summary") != std::string::npos);
    CHECK(h.saved().size() == 2);
    CHECK(h.saved()[0].answer == kEmrAnswer);
    CHECK(h.saved()[0].session_id == "S1");
}

TEST_CASE("every attempt is saved before the next question is asked", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, "one", 5}, {AnswerEnd::Skipped, "", 5},
                                                 {AnswerEnd::Submitted, "three", 5}});
    std::vector<std::size_t> saved_at_turn;
    answers.before_turn = [&](std::size_t) { saved_at_turn.push_back(h.saved().size()); };
    h.run(answers, QuizSettings{h.ids({"beginner-1", "beginner-2", "beginner-3"}), {}, true, {}, {}});
    CHECK(saved_at_turn == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("skip and quit are kept in the record as such", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Skipped, "", 2}, {AnswerEnd::Quit, "", 1},
                                                 {AnswerEnd::Submitted, "never asked", 1}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1", "beginner-2", "beginner-3"}), {}, true, {}, {}});
    REQUIRE(outcome.attempts.size() == 2);
    CHECK(outcome.attempts[0].outcome == Outcome::Skipped);
    CHECK(outcome.attempts[0].coverage == 0.0);
    CHECK(outcome.attempts[0].missed.size() == 4);
    CHECK(outcome.attempts[1].outcome == Outcome::Quit);
    CHECK(answers.requests.size() == 2);  // the third question was never shown
    CHECK(h.out.str().find("beginner-3") == std::string::npos);
    CHECK(h.saved().size() == 2);
    CHECK(h.out.str().find("skipped") != std::string::npos);
}

TEST_CASE("a timeout submits what was typed and marks the attempt", "[quiz]") {
    Harness h;
    // The person needs 200 s; the limit is 60 s.
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, "EMRs are used within a single practice", 200}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1"}), 60, true, {}, {}});
    REQUIRE(outcome.attempts.size() == 1);
    CHECK(outcome.attempts[0].outcome == Outcome::TimedOut);
    CHECK(outcome.attempts[0].seconds == Approx(60));
    CHECK(outcome.attempts[0].coverage > 0.0);
    CHECK(outcome.attempts[0].answer == "EMRs are used within a single practice");
    CHECK(h.out.str().find("Time's up at 1:00: your answer so far was scored.") != std::string::npos);
    CHECK(h.out.str().find("Answered in") == std::string::npos);  // not "1:00 of 1:00"
    CHECK(h.out.str().find("timed out") != std::string::npos);  // in the summary
}

TEST_CASE("deadlines come from the tier, --time-limit, --no-timer and the session cap", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource tier_default(h.clock, {{AnswerEnd::Submitted, "x", 1}});
    auto start = h.clock.monotonic();
    h.run(tier_default, QuizSettings{h.ids({"advanced-1"}), {}, true, {}, {}});
    CHECK(*tier_default.requests[0].deadline - start == 240s);

    test::ScriptedAnswerSource no_timer(h.clock, {{AnswerEnd::Submitted, "x", 1}});
    h.run(no_timer, QuizSettings{h.ids({"advanced-1"}), {}, false, {}, {}});
    CHECK_FALSE(no_timer.requests[0].deadline.has_value());

    test::ScriptedAnswerSource overridden(h.clock, {{AnswerEnd::Submitted, "x", 1}});
    start = h.clock.monotonic();
    h.run(overridden, QuizSettings{h.ids({"advanced-1"}), 45, true, {}, {}});
    CHECK(*overridden.requests[0].deadline - start == 45s);
}

TEST_CASE("when the session time runs out the current answer is submitted and the session ends", "[quiz]") {
    Harness h;
    // 150 s in all: the first answer takes 100 s, the second would take 100 s more.
    test::ScriptedAnswerSource answers(
        h.clock, {{AnswerEnd::Submitted, "first", 100}, {AnswerEnd::Submitted, "EMRs stay in one practice", 100},
                  {AnswerEnd::Submitted, "third", 10}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-2", "beginner-1", "beginner-3"}), {}, true, 150s, {}});
    REQUIRE(outcome.attempts.size() == 2);
    CHECK(outcome.attempts[1].outcome == Outcome::TimedOut);
    CHECK(outcome.attempts[1].seconds == Approx(50));
    CHECK(outcome.attempts[1].coverage > 0.0);
    CHECK(answers.requests.size() == 2);
    // The second question had the 50 s left of the session, not its tier's 2 minutes.
    const std::string text = h.out.str();
    CHECK(text.find("[1/3] Beginner - beginner-2 - 2:00 to answer\n") != std::string::npos);
    CHECK(text.find("[2/3] Beginner - beginner-1 - 0:50 to answer, the session's time left") != std::string::npos);
    CHECK(text.find("Answered in 1:40 of 2:00.") != std::string::npos);
    CHECK(text.find("Time's up at 0:50, the end of the session's time: your answer so far was scored.") !=
          std::string::npos);
    CHECK(text.find("Session summary") != std::string::npos);
}

TEST_CASE("an interrupt drops the partial answer, says so and ends with the summary", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 5},
                                                 {AnswerEnd::Interrupted, "half an answ", 5}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1", "beginner-2"}), {}, true, {}, {}});
    CHECK(outcome.interrupted);
    REQUIRE(outcome.attempts.size() == 1);
    CHECK(h.saved().size() == 1);
    CHECK(h.out.str().find("Session summary") != std::string::npos);
    CHECK(h.out.str().find("half an answ") == std::string::npos);
    CHECK(h.out.str().find("Interrupted: the unfinished answer was not saved.") != std::string::npos);
    CHECK(h.saved()[0].answer == kEmrAnswer);

    Harness nothing_typed;
    test::ScriptedAnswerSource empty(nothing_typed.clock, {{AnswerEnd::Interrupted, "", 5}});
    nothing_typed.run(empty, QuizSettings{nothing_typed.ids({"beginner-1"}), {}, true, {}, {}});
    CHECK(nothing_typed.out.str().find("Interrupted.\n") != std::string::npos);
    CHECK(nothing_typed.out.str().find("not saved") == std::string::npos);
}

TEST_CASE("input that ends early ends the session without inventing attempts", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, "only one", 5}});
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1", "beginner-2", "beginner-3"}), {}, true, {}, {}});
    CHECK(outcome.attempts.size() == 1);
    CHECK_FALSE(outcome.interrupted);
}

TEST_CASE("an answer that cannot be saved is shown to copy, and the session goes on", "[quiz]") {
    Harness h;
    h.dir.write("blocker", "a file where the data directory should be");
    HistoryStore unwritable(h.files, h.dir.file("blocker/history.jsonl"));
    test::ScriptedAnswerSource answers(
        h.clock, {{AnswerEnd::Submitted, "first \x1b[2J answer", 5}, {AnswerEnd::Skipped, "", 5},
                  {AnswerEnd::Submitted, "second answer", 5}});
    QuizSession session(h.bank, h.scorer, unwritable, h.clock, answers, h.out, h.err, QuizLayout{});
    QuizOutcome outcome =
        session.run(QuizSettings{h.ids({"beginner-1", "beginner-2", "beginner-3"}), {}, true, {}, "S"});
    CHECK(outcome.history_failed);
    CHECK(outcome.attempts.size() == 3);
    const std::string not_saved = "ehrprep: cannot create directory " + h.dir.file("blocker") +
                                  ": Not a directory (this attempt was not saved)\n";
    CHECK(h.err.str() == not_saved + "Your answer, to copy before it is lost:\nfirst ^[[2J answer\n" + not_saved +
                             not_saved + "Your answer, to copy before it is lost:\nsecond answer\n");
    CHECK(h.out.str().find("Session summary") != std::string::npos);
}

TEST_CASE("an answer cut at 64 KiB is scored with a note saying so", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 5}});
    struct Cut final : AnswerSource {
        AnswerSource& inner;
        explicit Cut(AnswerSource& source) : inner(source) {}
        AnswerInput read_answer(const AnswerRequest& request) override {
            AnswerInput input = inner.read_answer(request);
            input.truncated = true;
            return input;
        }
        FeedbackChoice after_feedback(const FeedbackOffer&) override { return FeedbackChoice::Continue; }
    } cut(answers);
    QuizSession session(h.bank, h.scorer, h.history, h.clock, cut, h.out, h.err, QuizLayout{});
    session.run(QuizSettings{h.ids({"beginner-1"}), {}, true, {}, "S"});
    CHECK(h.out.str().find("Your answer was longer than 64 KiB: the first 64 KiB was kept and scored.") !=
          std::string::npos);
    CHECK(h.saved().at(0).coverage > 0.5);
}

TEST_CASE("a session whose time ran out between questions says so before its summary", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 5}});
    struct SlowToContinue final : AnswerSource {
        AnswerSource& inner;
        test::ManualClock& clock;
        SlowToContinue(AnswerSource& source, test::ManualClock& c) : inner(source), clock(c) {}
        AnswerInput read_answer(const AnswerRequest& request) override { return inner.read_answer(request); }
        FeedbackChoice after_feedback(const FeedbackOffer&) override {
            clock.advance(120s);  // the feedback is read slowly
            return FeedbackChoice::Continue;
        }
    } slow(answers, h.clock);
    QuizSettings settings{h.ids({"beginner-1", "beginner-2"}), {}, true, std::chrono::seconds(60), "S"};
    QuizSession session(h.bank, h.scorer, h.history, h.clock, slow, h.out, h.err, QuizLayout{});
    QuizOutcome outcome = session.run(settings);
    CHECK(outcome.attempts.size() == 1);
    const std::string out = h.out.str();
    CHECK(out.find("The session's time is up.\n") != std::string::npos);
    CHECK(out.find("The session's time is up.") < out.find("Session summary"));
    CHECK(out.find("[2/2]") == std::string::npos);
}

TEST_CASE("the summary averages answered and timed-out attempts, and lists skips and quits without averaging them",
          "[quiz]") {
    const QuestionBank bank = embedded_bank();
    auto attempt = [](const char* id, const char* tier, double coverage, Outcome outcome) {
        Attempt a;
        a.question_id = id;
        a.tier_id = tier;
        a.coverage = coverage;
        a.outcome = outcome;
        a.seconds = 65;
        return a;
    };
    const std::string summary = render_session_summary(
        bank,
        {attempt("beginner-1", "beginner", 0.8, Outcome::Answered), attempt("beginner-2", "beginner", 0.0, Outcome::Skipped),
         attempt("advanced-1", "advanced", 0.425, Outcome::TimedOut), attempt("ai-workflow-1", "ai-workflow", 0.0, Outcome::Skipped),
         attempt("ai-workflow-2", "ai-workflow", 0.0, Outcome::Quit)},
        QuizLayout{Style(false), 80, false});
    CHECK(summary ==
          "Session summary\n"
          "\n"
          "  QUESTION       TIER                 COVERAGE    TIME\n"
          "  beginner-1     Beginner                  80%    1:05\n"
          "  beginner-2     Beginner                    -    1:05  skipped\n"
          "  advanced-1     Advanced                  43%    1:05  timed out\n"
          "  ai-workflow-1  AI Workflow & Tools         -    1:05  skipped\n"
          "  ai-workflow-2  AI Workflow & Tools         -    1:05  quit\n"
          "\n"
          "  Beginner                              80%  ########..  (2 questions, 1 skipped)\n"
          "  Advanced                              43%  ####......  (1 question)\n"
          "  AI Workflow & Tools                     -              (2 questions, 1 skipped, 1 quit)\n"
          "\n"
          "  Overall coverage 61% ############........\n");
    CHECK(render_session_summary(bank, {}, QuizLayout{}) == "No questions answered in this session.\n");
    // Only skips: each is listed, nothing is averaged.
    const std::string skipped = render_session_summary(bank, {attempt("beginner-1", "beginner", 0.0, Outcome::Skipped)},
                                                       QuizLayout{Style(false), 80, false});
    CHECK(skipped.find("skipped") != std::string::npos);
    CHECK(skipped.find("0%") == std::string::npos);
    CHECK(skipped.find("Overall") == std::string::npos);
}

TEST_CASE("session ids sort by start time", "[quiz]") {
    CHECK(make_session_id(parse_utc("2026-11-30T09:15:00Z").value(), 0x3f2a) == "20261130T091500Z-3f2a");
    CHECK(format_clock(65.4) == "1:05");
    CHECK(format_clock(-3) == "0:00");
}

TEST_CASE("a retry asks the question again, saves it as a retry and says what changed", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(
        h.clock, {{AnswerEnd::Submitted, "EMRs are digital paper charts.", 10}, {AnswerEnd::Submitted, kEmrAnswer, 10}});
    answers.choices = {FeedbackChoice::Retry};
    QuizOutcome outcome = h.run(answers, QuizSettings{h.ids({"beginner-1"}), {}, true, {}, {}});
    REQUIRE(outcome.attempts.size() == 2);
    CHECK_FALSE(outcome.attempts[0].retry);
    CHECK(outcome.attempts[1].retry);
    REQUIRE(h.saved().size() == 2);
    CHECK(h.saved()[1].retry);
    const std::string text = h.out.str();
    CHECK(text.find("[1/1 again] Beginner - beginner-1") != std::string::npos);
    const std::size_t change = text.find("Since your last try: ");
    REQUIRE(change != std::string::npos);
    CHECK(text.find("-> 100%.", change) != std::string::npos);
    CHECK(text.find("Newly covered: EMR within a single practice", change) != std::string::npos);
    CHECK(text.find("retry, not averaged") != std::string::npos);
    REQUIRE(answers.offers.size() == 2);
    CHECK(answers.offers[0].retry);
    CHECK(answers.offers[0].last);
}

TEST_CASE("the example answer is shown once when asked for", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, "EMRs are digital paper charts.", 10}});
    answers.choices = {FeedbackChoice::ShowExample, FeedbackChoice::Continue};
    h.run(answers, QuizSettings{h.ids({"beginner-1"}), {}, true, {}, {}});
    const std::string text = h.out.str();
    const std::size_t shown = text.find("An example answer");
    REQUIRE(shown != std::string::npos);
    CHECK(text.find(h.bank.questions()[*h.bank.question_index("beginner-1")].example.substr(0, 30), shown) !=
          std::string::npos);
    REQUIRE(answers.offers.size() == 2);
    CHECK(answers.offers[0].example);
    CHECK_FALSE(answers.offers[1].example);  // already shown
}

TEST_CASE("in a review the suggested rating can be changed before the attempt is saved", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 10}});
    answers.choices = {FeedbackChoice::RateHard, FeedbackChoice::Continue};
    QuizSettings settings{h.ids({"beginner-1"}), {}, true, {}, {}};
    settings.review = RatingThresholds{};
    h.run(answers, settings);
    REQUIRE(answers.offers.size() == 2);
    CHECK(answers.offers[0].rating == Rating::Easy);  // 100% coverage suggests Easy
    CHECK(answers.offers[1].rating == Rating::Hard);  // the choice stands while the prompt is open
    const std::vector<Attempt> saved = h.saved();
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].suggested_rating == Rating::Easy);
    CHECK(saved[0].chosen_rating == Rating::Hard);
    CHECK(h.out.str().find("Review rating: Hard (coverage suggested Easy).") != std::string::npos);

    // Keeping the suggestion records nothing extra.
    Harness kept;
    test::ScriptedAnswerSource again(kept.clock, {{AnswerEnd::Submitted, kEmrAnswer, 10}});
    kept.run(again, settings);
    REQUIRE(kept.saved().size() == 1);
    CHECK_FALSE(kept.saved()[0].chosen_rating);
    CHECK(kept.out.str().find("Review rating: Easy (from this answer's coverage).") != std::string::npos);
}

TEST_CASE("the first answer to a question seen before is compared with the last attempt at it", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Submitted, kEmrAnswer, 10}});
    QuizSettings settings{h.ids({"beginner-1"}), {}, true, {}, {}};
    settings.previous["beginner-1"] =
        PreviousAttempt{Timestamp{std::chrono::seconds{1'779'800'000}}, 0.5, {"EMR as digital paper chart"}};
    h.run(answers, settings);
    const std::string text = h.out.str();
    const std::size_t change = text.find("Since last time (2026-05-26): 50% -> 100%.");
    INFO(text);
    REQUIRE(change != std::string::npos);
    CHECK(text.find("Newly covered: EMR within a", change) != std::string::npos);
    CHECK(text.find("Supports interoperability.", change) != std::string::npos);
}

TEST_CASE("a skip shows the hint and every point with its tip", "[quiz]") {
    Harness h;
    test::ScriptedAnswerSource answers(h.clock, {{AnswerEnd::Skipped, "", 5}});
    h.run(answers, QuizSettings{h.ids({"beginner-3"}), {}, true, {}, {}});
    const std::string text = h.out.str();
    const std::size_t points = text.find("The points to make");
    REQUIRE(points != std::string::npos);
    for (const Concept& c : h.bank.questions()[*h.bank.question_index("beginner-3")].concepts) {
        CAPTURE(c.label);
        CHECK(text.find(c.label, points) != std::string::npos);
        CHECK(text.find(c.tip.substr(0, 25), points) != std::string::npos);
    }
}
