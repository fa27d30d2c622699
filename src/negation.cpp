#include "ehrprep/negation.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ehrprep {
namespace {

// Words are folded: lower case, apostrophes dropped ("don't" is "dont").
constexpr std::array<std::string_view, 35> kNegators = {
    "not",    "no",     "never",  "none",   "nothing", "nobody", "without", "cannot", "cant",     "dont",
    "doesnt", "didnt",  "isnt",   "arent",  "wasnt",   "werent", "wont",    "wouldnt", "shouldnt", "couldnt",
    "havent", "hasnt",  "hadnt",  "neednt", "mustnt",  "aint",   "avoid",   "avoids",  "avoided",  "avoiding",
    "barely", "hardly", "rarely", "seldom", "scarcely"};

// Verbs that reject what follows them.
constexpr std::array<std::string_view, 52> kDismissingVerbs = {
    "skip",     "skips",    "skipped",  "skipping", "ignore",  "ignores",  "ignored",   "ignoring", "omit",
    "omits",    "omitted",  "omitting", "forgo",    "forgoes", "forgoing", "forgone",   "forego",   "foregoing",
    "bypass",   "bypasses", "bypassed", "bypassing", "ditch",  "ditched",  "ditching",  "scrap",    "scrapped",
    "scrapping", "abandon", "abandoned", "abandoning", "drop",  "dropped",  "dropping",  "forget",   "postpone",
    "postponed", "defer",   "deferred", "shelve",   "shelved", "punt",     "punted",    "deprioritize",
    "kill",      "killed",  "axe",      "axed",     "nix",     "nixed",    "mothball",  "mothballed"};

// Said of a point in the passive, or after it on their own, these report it abandoned: "the
// drift dashboard was drafted and shelved", "a feedback button, scrapped after a month".
constexpr std::array<std::string_view, 18> kAbandoned = {
    "shelved", "scrapped", "abandoned", "killed", "ditched",  "axed",    "canned",   "mothballed", "deprioritized",
    "skipped", "bypassed", "nixed",     "vetoed", "cancelled", "canceled", "binned", "descoped",   "sidelined"};

// A rejecting verb is the speaker's stance only with a person or a modal as its subject, or as
// an instruction: "we'd skip X", "X I'd ignore", "skip X". "The summaries omit follow-ups" and
// "clinicians dismiss the alert" describe a problem instead.
constexpr std::array<std::string_view, 22> kAgents = {
    "i",     "we",   "id",     "wed",   "ill",  "well", "you", "youd", "lets", "would", "should",
    "could", "can",  "will",   "might", "must", "to",   "just", "simply", "probably", "definitely", "also"};

// "skeptical of", "wary of": what follows is doubted.
constexpr std::array<std::string_view, 4> kDoubting = {"skeptical", "sceptical", "wary", "suspicious"};

// After a negator these undo it: "not only", "not just", "no doubt", "no matter".
constexpr std::array<std::string_view, 8> kCancelling = {"only", "just",  "merely", "simply",
                                                         "least", "matter", "doubt", "wonder"};

// Words that, right after a negator, turn it into a verdict on what came before: "human
// review isn't needed", "guardrails don't matter", "it's not worth it".
constexpr std::array<std::string_view, 45> kVerdicts = {
    "worth",    "needed",   "necessary", "required",  "important",  "useful",    "helpful",   "essential",
    "critical", "priority", "matter",    "matters",   "help",       "helps",     "add",       "adds",
    "relevant", "value",    "problem",   "issue",     "concern",    "deal",      "common",    "practical",
    "feasible", "realistic", "scalable", "sustainable", "appropriate", "warranted", "justified", "effective",
    "meaningful", "work",   "works",     "hold",      "tell",       "reliable",
    "use", "see",
    "apply", "better", "complete", "accurate", "ready"};

// Words that may sit between a negator and its verdict: "isn't a real problem".
constexpr std::array<std::string_view, 11> kVerdictFillers = {"really", "very", "that", "real", "big", "much",
                                                              "particularly", "strictly", "actually", "all", "too"};

// Words that reject whatever they are said of.
constexpr std::array<std::string_view, 73> kRejectingWords = {
    "unnecessary", "overkill",    "pointless",   "useless",     "irrelevant",  "overrated",     "redundant",
    "superfluous", "waste",       "busywork",    "bureaucracy", "overstated",  "overblown",     "distraction",
    "hassle",      "paperwork",   "marketing",   "hype",        "gimmick",     "outdated",      "obsolete",
    "theater",     "theatre",     "babysit",     "brittle",     "relic",       "overengineering", "overengineered",
    "meaningless", "formality",   "checkbox",    "luxury",      "boondoggle",  "fad",           "buzzword",
    "oversold",    "overhyped",   "hyped",       "hyping",      "stretch",     "trap",          "brochure",
    "gimmicky",    "toys",        "fret",        "frets",       "fretting",    "supposedly",    "allegedly",
    "overcomplicated", "overcomplicate", "overcomplicates",
    "overthought", "premature", "philosophical", "vanity", "junk", "forever", "theoretical",
    "unethical", "flaky", "bureaucratic", "fussy", "bikeshedding", "voodoo", "dogma", "reckless", "ceremony",
    "nonsense", "patronizing", "condescending", "icky", "glacial"};

// Phrases that say a point is not worth doing, wherever they come in its clause: "a nice to
// have", "gold-plating", "someone else's job", "sounds good on paper".
const std::vector<std::vector<std::string_view>> kVerdictPhrases = {
    {"nice", "to", "have"}, {"red", "tape"},   {"can", "wait"},        {"gold", "plating"},  {"non", "issue"},
    {"box", "ticking"},     {"version", "two"}, {"someone", "else"},    {"somebody", "else"}, {"for", "academics"},
    {"for", "consultants"}, {"in", "theory"},  {"good", "on", "paper"}, {"nice", "on", "paper"}, {"great", "on", "paper"},
    {"fine", "on", "paper"}, {"blown", "out"}, {"in", "the", "way"},   {"come", "later"},    {"snake", "oil"},
    {"slide", "deck"},      {"more", "trouble", "than"}, {"why", "bother"}, {"not", "convinced"}, {"no", "one"},
    {"bad", "idea"},        {"ancient", "history"}, {"for", "nothing"},  {"rabbit", "hole"},   {"security", "blanket"},
    {"hair", "splitting"},  {"than", "its", "worth"}, {"than", "it", "is", "worth"}, {"than", "payoff"},
    {"minor", "issue"},     {"minor", "concern"}, {"minor", "problem"},  {"not", "ours"},      {"not", "mine"},
    {"little", "gain"},     {"little", "value"},  {"little", "benefit"}, {"no", "gain"},      {"are", "academic"},
    {"is", "academic"},     {"old", "school"},    {"old", "fashioned"}, {"window", "dressing"}, {"academic", "debate"},
    {"toll", "booth"},      {"is", "noise"},      {"are", "noise"},     {"take", "forever"},  {"takes", "forever"},
    {"take", "months"},     {"takes", "months"},  {"take", "a", "year"}, {"takes", "a", "year"}, {"take", "years"},
    {"take", "longer", "than"}};

// "Nobody uses it", "it never caught anything": what a point has failed to do.
constexpr std::array<std::string_view, 43> kFailedResults = {
    "use",    "uses",   "used",   "read",   "reads",    "look",     "looks",  "cares",   "care",
    "wants",  "needs",  "checks", "caught", "catches",  "helped",   "helps",  "worked",  "works",
    "happens", "happened", "mattered", "matters", "delivered", "survives", "tell", "tells",
    "impressed", "paid", "pay", "beat", "improved", "maintain", "ends", "survived", "moved",
    "reviews", "reviewed", "opens", "opened", "acts", "acted", "notices", "noticed"};

// "sounds nice, but...": faint praise before a rejection.
constexpr std::array<std::string_view, 14> kFaintPraise = {"good",   "nice",   "great",     "lovely", "responsible",
                                                           "fine",   "impressive", "reasonable", "elegant", "clever",
                                                           "appealing", "neat", "sensible",
    "smart"};

// Verbs that, said of a point, argue against it: "it just confuses stakeholders".
constexpr std::array<std::string_view, 30> kHarmVerbs = {
    "confuse",   "confuses",   "complicate", "complicates", "clutter",  "clutters",   "distract",
    "distracts", "annoy",      "annoys",     "overwhelm",   "overwhelms", "fragment", "fragments",
    "bloat",     "bloats",     "reintroduce", "reintroduces", "backfire", "backfires", "kills",
    "defeats",   "undermines", "drags",
    "burns",
    "ruins", "ruin", "drag", "overfits", "wastes"};

// "too risky", "too slow": what comes before is argued against.
constexpr std::array<std::string_view, 24> kTooWhat = {
    "risky",    "slow",   "expensive",  "costly",  "complex", "complicated", "much",    "heavy",
    "cumbersome", "burdensome", "academic", "time", "limited", "noisy",  "messy",   "early",
    "many",     "crude",  "simplistic", "naive",   "brittle", "fragile",     "clunky",
    "immature"};

// What a point "adds" when it is argued against: "it just adds complexity".
constexpr std::array<std::string_view, 4> kBurdens = {"complexity", "overhead", "friction", "bureaucracy"};

// Words that may follow a rejection without being what it rejects: "I'd skip it entirely".
constexpr std::array<std::string_view, 12> kTrailing = {"entirely", "altogether", "completely", "too",    "either", "anyway",
                                                        "anymore",  "now",        "initially",  "for",    "here",   "honestly"};

// Words that open a new clause wherever they stand.
constexpr std::array<std::string_view, 21> kClauseOpeners = {
    "but",   "however", "although", "though",    "whereas", "unless", "until", "because", "therefore", "thus", "hence",
    "while", "whilst",  "except",   "otherwise", "before",  "which",  "who",   "whereby", "so",        "since"};

// Conditions: a clause they open states a case, not a stance, and ends at its first comma.
constexpr std::array<std::string_view, 6> kConditions = {"if", "when", "whenever", "unless", "once", "whether"};

// Words that can start a clause after a comma: "..., we added", "..., it routes".
constexpr std::array<std::string_view, 28> kSubjects = {
    "i",   "we",   "you",   "they",  "he",    "she",    "it",    "its",  "this", "that",
    "there", "these", "those", "id", "wed",  "youd",   "theyd", "ill",  "well", "im",
    "ive", "weve", "youre", "theyre", "theres", "thats", "lets", "one"};

// Small words that can open the next item of a list.
constexpr std::array<std::string_view, 9> kListWords = {"a", "an", "the", "and", "or", "our", "my", "their", "its"};

// Words that open a clause or phrase that ends at its comma when it comes first.
constexpr std::array<std::string_view, 16> kFronted = {"since",   "because", "although", "though", "while", "whilst",
                                                       "whereas", "given",   "with",     "after",  "before", "as",
                                                       "despite", "unless",  "until",    "for"};

// Adverbs that, after "and" or "but", start a new verb phrase.
constexpr std::array<std::string_view, 8> kAdverbs = {"just", "then", "simply", "also", "instead", "only", "still", "rather"};

// Pronouns that stand for something said earlier: "skip it", "we don't need them".
constexpr std::array<std::string_view, 9> kAnaphors = {"it", "them", "that", "this", "those", "these", "either", "there", "one"};

// Light verbs and prepositions between a rejection and its pronoun: "no need to think about it".
constexpr std::array<std::string_view, 30> kToPronoun = {
    "need", "bother", "want", "think", "worry", "care", "deal", "do",  "use",  "have",  "keep",  "add",
    "build", "include", "go", "spend", "touch", "consider", "with", "for", "to", "about", "on", "really",
    "design", "around", "plan", "time", "invest", "spend"};

// Words with no content of their own: a clause of only these before a verdict ("but it's
// overkill") is about something said earlier in the sentence.
constexpr std::array<std::string_view, 50> kEmpty = {
    "i",   "we",   "you",  "they", "he",    "she",   "it",     "its",    "this",  "that",  "these", "those",
    "is",  "are",  "was",  "were", "be",    "been",  "would",  "will",   "should", "could", "can",  "might",
    "do",  "does", "did",  "just", "really", "honestly", "frankly", "also", "thats", "but", "and", "so",
    "theyre", "youre", "were", "im", "ive", "thats", "theres", "it", "is", "id", "wed", "rather", "ill", "youd"};

// Verbs that "against" turns into a rejection: "we decided against a pilot".
constexpr std::array<std::string_view, 10> kAgainst = {"decide",    "decided",     "argue", "argued", "advise",
                                                       "advised",   "recommend",   "recommended", "vote", "voted"};

// Who puts forward a claim the speaker goes on to dispute: "vendors like to say X, but ...".
constexpr std::array<std::string_view, 23> kReporters = {
    "people",     "vendors",    "folks",     "everyone",   "everybody", "someone",   "somebody",
    "others",     "critics",    "advocates", "proponents", "fans",      "evangelists", "consultants",
    "salespeople", "marketers", "textbooks", "tutorials", "literature", "purists",  "academics", "theorists",
    "ppl"};

// What such a claimant does with it.
constexpr std::array<std::string_view, 46> kReportingVerbs = {
    "say",     "says",     "said",      "claim",    "claims",    "claimed",  "describe", "describes",
    "list",    "lists",    "mention",   "mentions",  "recite",   "recites",
    "like",    "love",     "want",      "wants",    "propose",   "proposes", "proposed", "suggest",
    "suggests", "suggested", "recommend", "recommends", "tell",   "tells",    "bring",    "raise",
    "talk",    "cite",     "cites",     "pitch",    "pitches",   "insist",   "push",     "swear",
    "preach",  "tout",     "touts",     "rave",     "argue",     "argues",   "call",     "calls"};

// "The textbook answer is X", "the trendy answer", "the official path": received wisdom.
constexpr std::array<std::string_view, 18> kReceived = {
    "textbook", "official", "standard", "trendy",  "usual",   "conventional", "classic",
    "received", "popular",  "fashionable", "orthodox", "canonical", "typical", "obvious",
    "ideal",    "reference", "research", "cautious"};
constexpr std::array<std::string_view, 20> kReceivedNouns = {
    "line", "answer", "advice", "wisdom", "path", "playbook", "view", "story",
    "approach", "recommendation", "pitch", "definition", "recipe", "move", "take",
    "design", "architecture", "plan", "checklist", "setup"};

// "X, lovely in theory", "X looked fine on paper", "X on a slide": a label that holds up what
// it follows as an idea only, before the speaker turns against it.
constexpr std::array<std::string_view, 5> kOnlyOnPaper = {"theory", "paper", "slide", "slides", "powerpoint"};

// A short sentence that grants a point before the turn against it: "Conceptually I agree.",
// "All sensible on a slide.", "Fair enough."
constexpr std::array<std::string_view, 22> kGranting = {
    "agree", "sensible", "fine",  "nice",     "great", "sure",  "reasonable", "lovely", "theory", "slide",     "paper",
    "enough", "noble",   "appeal", "logic",   "abstract", "textbook", "elegant", "interesting", "fair", "principle",
    "rigorous"};

// "The claim that X", "the idea is X": a claim held up to be knocked down.
constexpr std::array<std::string_view, 9> kClaims = {"claim", "idea",    "theory", "pitch",     "promise",
                                                     "narrative", "premise", "hype", "assumption"};

// "X gets recommended a lot", "X gets discussed endlessly": a claim in the passive.
constexpr std::array<std::string_view, 14> kReportedPassive = {
    "recommended", "mentioned", "discussed", "cited",  "hyped",  "touted",    "pushed",
    "pitched",     "marketed",  "praised",   "talked", "celebrated", "promoted", "sold"};

// Sounds of impatience that wave away what the sentence says: "SOAP layout, nah, ...".
constexpr std::array<std::string_view, 7> kInterjections = {"meh", "nah", "eh", "ugh", "pfft", "bah", "cute"};

// What a bare refusal may end with: "so I wouldn't bother", "I'd rather not", "I don't think so".
constexpr std::array<std::string_view, 9> kRefusalTail = {"bother", "bothered", "rather", "recommend", "want",
                                                          "care",   "think",    "anymore", "either"};

// Verbs that, with "nothing" after them, say a point is worthless: "it tells you nothing".
constexpr std::array<std::string_view, 18> kYields = {"tells", "tell", "told",  "changes", "change", "changed",
                                                      "adds",  "add",  "added", "means",   "mean",   "buys",
                                                      "buy",   "solves", "proves", "settles", "gives", "gains"};

// "legal's problem", "not my department": a point handed to someone else.
constexpr std::array<std::string_view, 7> kOwnedBy = {"problem", "business", "job", "concern", "department",
                                                      "territory", "headache"};

// A label is at most this many words: "X, Y and Z: the textbook answer", "Data: enough ...?".
constexpr std::size_t kLabelWords = 3;

// What a law, a policy or an ethic does when it forbids: "HIPAA says we can't ...".
constexpr std::array<std::string_view, 15> kRuleVerbs = {"say",     "says",     "said",    "mean",     "means",
                                                         "meant",   "require",  "requires", "required", "state",
                                                         "states",  "dictate",  "dictates", "demand",   "demands"};
constexpr std::array<std::string_view, 3> kProhibitingModals = {"must", "may", "should"};

// Words that find fault with what they are said of without rejecting it on their own: "FHIR
// endpoints are slow", "whatever vector DB". Once an answer has argued against points, they
// mark the sentences that go on doing so (see ClauseMarks::finds_fault).
constexpr std::array<std::string_view, 40> kFaultWords = {
    "slow",     "slower",   "risky",    "expensive", "costly",  "cumbersome", "burdensome", "noisy",
    "noise",    "messy",    "crude",    "simplistic", "naive",  "fragile",    "clunky",     "bloated",
    "tedious",  "annoying", "painful",  "inconsistent", "incomplete", "unreliable", "wrong", "false",
    "broken",   "wreck",    "wrecks",   "rot",      "rots",     "stale",      "trend",      "debate",
    "optional", "whatever", "hate",     "hates",    "bias",     "biased",     "biases",     "thin"};

// Which of the lists above a word is on, as one bit per list, so that each word of an answer
// is looked up once.
enum Category : std::uint32_t {
    Negator = 1U << 0,
    DismissingVerb = 1U << 1, Agent = 1U << 2, Doubting = 1U << 3, Cancelling = 1U << 4,
    Verdict = 1U << 5, VerdictFiller = 1U << 6, RejectingWord = 1U << 7, TooWhat = 1U << 8, Burden = 1U << 9,
    Trailing = 1U << 10, ClauseOpener = 1U << 11, Condition = 1U << 12, Subject = 1U << 13, ListWord = 1U << 14,
    Anaphor = 1U << 15, ToPronoun = 1U << 16, Empty = 1U << 17, Against = 1U << 18, Other = 1U << 19,
    Adverb = 1U << 20, Fronted = 1U << 21, HarmVerb = 1U << 22, FailedResult = 1U << 23, FaintPraise = 1U << 24,
    PhraseStart = 1U << 25, Interjection = 1U << 26, OwnedBy = 1U << 27, FrameStart = 1U << 28, Abandoned = 1U << 29,
    Fault = 1U << 30,
};

const std::unordered_map<std::string_view, std::uint32_t>& categories() {
    static const std::unordered_map<std::string_view, std::uint32_t> table = [] {
        std::unordered_map<std::string_view, std::uint32_t> out;
        auto add = [&](const auto& list, std::uint32_t bit) {
            for (std::string_view w : list) out[w] |= bit;
        };
        add(kNegators, Negator), add(kDismissingVerbs, DismissingVerb), add(kAgents, Agent), add(kDoubting, Doubting);
        add(kCancelling, Cancelling), add(kVerdicts, Verdict), add(kVerdictFillers, VerdictFiller);
        add(kRejectingWords, RejectingWord), add(kTooWhat, TooWhat), add(kBurdens, Burden), add(kTrailing, Trailing);
        add(kClauseOpeners, ClauseOpener), add(kConditions, Condition), add(kSubjects, Subject), add(kListWords, ListWord);
        add(kAnaphors, Anaphor), add(kToPronoun, ToPronoun), add(kEmpty, Empty), add(kAgainst, Against);
        add(kAdverbs, Adverb), add(kFronted, Fronted), add(kHarmVerbs, HarmVerb);
        add(kFailedResults, FailedResult), add(kFaintPraise, FaintPraise), add(kInterjections, Interjection);
        add(kOwnedBy, OwnedBy), add(kAbandoned, Abandoned), add(kFaultWords, Fault);
        // Words that can open a disputed claim; the rest of each frame is checked only there.
        add(kReporters, FrameStart), add(kReceived, FrameStart), add(kClaims, FrameStart);
        add(kOnlyOnPaper, FrameStart), add(std::array<std::string_view, 2>{"guess", "sure"}, FrameStart);
        add(std::array<std::string_view, 8>{"get", "gets", "got", "getting", "supposed", "meant", "claims", "claimed"},
            FrameStart);
        for (const auto& phrase : kVerdictPhrases) out[phrase.front()] |= PhraseStart;
        for (std::string_view w : {"is", "are", "its", "thats", "take", "takes"}) out[w] |= PhraseStart;
        for (std::string_view w : {"sounds", "sound", "looks", "look", "hold", "steer", "stay", "rarely", "seldom", "than",
                                   "just", "is", "are", "its", "nope"})
            out[w] |= Other;
        // Words that start multi-word rules.
        add(std::array<std::string_view, 31>{"make", "makes", "making", "instead", "rather", "in", "get", "got", "getting", "do",
                                             "nice",    "red",    "can",  "too",    "slow",    "slows",   "slowed",
                                             "slowing", "add",    "adds", "adding", "overhead", "neither", "nor",
                                             "and",     "or",     "then", "plus",   "not",     "no",      "down"},
            Other);
        add(std::array<std::string_view, 7>{"just", "nothing", "more", "leave", "leaving", "why", "dated"},
            Other);
        return out;
    }();
    return table;
}

class NegationMarker {
public:
    explicit NegationMarker(const std::vector<Token>& tokens) : t_(tokens) {
        const std::size_t n = tokens.size();
        marks_.sentence.assign(n, 0);
        marks_.polarity.assign(n, Polarity::Affirmed);
        marks_.cue.assign(n, ClauseMarks::kNoCue);
        const auto& table = categories();
        category_.reserve(n);
        marks_.finds_fault.assign(n, false);
        constexpr std::uint32_t kFinding = Negator | RejectingWord | HarmVerb | Burden | Fault;
        for (const Token& token : tokens) {
            auto found = table.find(token.folded);
            const std::uint32_t category = found == table.end() ? 0 : found->second;
            marks_.finds_fault[category_.size()] = (category & kFinding) != 0;
            category_.push_back(category);
        }
    }

    ClauseMarks run() && {
        std::uint32_t sentence = 0;
        std::size_t begin = 0;
        std::vector<std::pair<std::size_t, std::size_t>> sentences;
        for (std::size_t k = 0; k <= t_.size(); ++k) {
            if (k == t_.size() || (k > 0 && t_[k].boundary == Boundary::Sentence)) {
                if (k > begin) {
                    mark_sentence(begin, k, sentence++);
                    sentences.emplace_back(begin, k);
                }
                begin = k;
            }
        }
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            const auto [from, to] = sentences[i];
            const std::pair<std::size_t, std::size_t> none{to, to};
            mark_disputed_claim(from, to, i + 1 < sentences.size() ? sentences[i + 1] : none,
                                i + 2 < sentences.size() ? sentences[i + 2] : none);
        }
        return std::move(marks_);
    }

private:
    [[nodiscard]] bool is(std::size_t k, std::uint32_t category) const {
        return k < category_.size() && (category_[k] & category) != 0;
    }

    [[nodiscard]] std::string_view word(std::size_t k) const {
        return k < t_.size() ? std::string_view(t_[k].folded) : std::string_view();
    }

    [[nodiscard]] static bool on(std::string_view w, const auto& list) {
        return std::find(list.begin(), list.end(), w) != list.end();
    }

    // Where a claim the speaker does not hold is put forward in [begin, end): "vendors like to
    // say", "the textbook answer is", "the claim that", "X gets recommended a lot", "X is
    // supposed to". Returns end when there is none.
    [[nodiscard]] std::size_t claim_frame(std::size_t begin, std::size_t end) const {
        for (std::size_t k = begin; k < end; ++k) {
            if (!is(k, FrameStart)) continue;
            const std::string_view w = word(k);
            if (on(w, kReporters)) {
                // "people like to say", "vendors will always tell you", "someone suggested"
                for (std::size_t j = k + 1; j < end && j <= k + 3; ++j) {
                    if (on(word(j), kReportingVerbs)) return k;
                    if (t_[j].boundary >= Boundary::Comma) break;
                }
            }
            if (on(w, kReceived) && (on(word(k + 1), kReceivedNouns) || on(word(k + 2), kReceivedNouns))) return k;
            if (on(w, kClaims) && k > begin && (word(k - 1) == "the" || word(k - 1) == "this") &&
                (word(k + 1) == "that" || word(k + 1) == "is" || word(k + 1) == "was"))
                return k;
            const bool gets = w == "get" || w == "gets" || w == "got" || w == "getting";
            if (gets && (on(word(k + 1), kReportedPassive) || on(word(k + 2), kReportedPassive))) return k;
            if (gets && word(k + 1) == "a" && word(k + 2) == "lot" && word(k + 3) == "of") return k;
            // "Let me guess: X, Y and Z.", "Sure, we could X."
            if (w == "guess" && k >= begin + 2 && word(k - 1) == "me" && word(k - 2) == "let") return k;
            if (w == "sure" && (word(k + 1) == "we" || word(k + 1) == "you") &&
                (word(k + 2) == "could" || word(k + 2) == "can"))
                return k;
            if (on(w, kOnlyOnPaper) && k > begin &&
                (word(k - 1) == "in" || word(k - 1) == "on" || (word(k - 1) == "a" && word(k - 2) == "on")))
                return k;
            if ((w == "supposed" || w == "meant" || w == "claims" || w == "claimed") && word(k + 1) == "to" &&
                k > begin && (word(k - 1) == "is" || word(k - 1) == "are" || word(k - 1) == "its" ||
                              word(k - 1) == "was" || word(k - 1) == "were" || on(w, kClaims) || w == "claimed"))
                return k;
        }
        return end;
    }

    // A claim put forward and then disputed argues against what it claims, up to the turn: "the
    // textbook answer is X, but in practice ...", "people love to cite X. Honestly, it's ...".
    // A claim that is itself negative ("people say you don't need X, but ...") is left alone:
    // disputing it affirms.
    void mark_disputed_claim(std::size_t begin, std::size_t end, std::pair<std::size_t, std::size_t> next,
                             std::pair<std::size_t, std::size_t> after_next) {
        const std::size_t frame = claim_frame(begin, end);
        if (frame == end) return;
        std::size_t turn = end;
        for (std::size_t k = frame + 1; k < end; ++k) {
            const std::string_view w = word(k);
            if ((w == "but" || w == "yet" || w == "however") && (t_[k].boundary >= Boundary::Comma || w == "but")) {
                turn = k;
                break;
            }
        }
        if (turn == end && !disputes(next.first, next.second) &&
            !(grants(next.first, next.second) && disputes(after_next.first, after_next.second)))
            return;
        // The claim starts with the clause that puts it forward: "We kept review because
        // people say ..." keeps "review". A label at the end of a sentence ("guardrails, review
        // and monitoring: the textbook answer") holds up all of it.
        std::size_t from = frame;
        if (turn - frame <= kLabelWords) {
            from = begin;
        } else {
            while (from > begin && t_[from].boundary < Boundary::Comma && !opens_clause(from) && word(from) != "and")
                --from;
        }
        for (std::size_t k = from; k < turn; ++k)
            if (is(k, Negator) && !is(k + 1, Cancelling)) return;
        for (std::size_t k = from; k < turn; ++k) {
            if (marks_.polarity[k] == Polarity::Dismissed) continue;
            marks_.polarity[k] = Polarity::Dismissed;
            marks_.cue[k] = static_cast<std::uint32_t>(frame);
        }
    }

    // Whether a sentence turns against the one before it: "But ...", "In practice ...", or a
    // rejection said in the speaker's own voice ("I don't see the value", "honestly, it's
    // overkill").
    [[nodiscard]] bool disputes(std::size_t begin, std::size_t end) const {
        if (begin >= end) return false;
        const std::string_view first = word(begin);
        if (first == "but" || first == "however" || first == "yet" || first == "realistically") return true;
        // "Interesting, but academic for us."
        if (on(first, kGranting) && word(begin + 1) == "but") return true;
        // "Really?", "Five projects for one classifier?", "Do you know how long that takes?"
        if (rhetorical(begin, end)) return true;
        if ((first == "do" && word(begin + 1) == "you" && word(begin + 2) == "know") ||
            (first == "did" && word(begin + 1) == "i" && word(begin + 2) == "miss") ||
            (first == "come" && word(begin + 1) == "on") || first == "seriously" || first == "really")
            return true;
        if (first == "in" && (word(begin + 1) == "practice" || word(begin + 1) == "reality")) return true;
        if (first == "in" && word(begin + 1) == "the" && word(begin + 2) == "real" && word(begin + 3) == "world")
            return true;
        const bool own_voice = first == "i" || first == "id" || first == "im" || first == "honestly" ||
                               first == "frankly" || first == "it" || first == "its" ||
                               first == "thats" || first == "that" || first == "this";
        if (!own_voice) return false;
        for (std::size_t k = begin; k < end; ++k)
            if (marks_.polarity[k] != Polarity::Affirmed) return true;
        return false;
    }

    // Whether a sentence only grants the point before a turn: "Conceptually I agree."
    [[nodiscard]] bool grants(std::size_t begin, std::size_t end) const {
        constexpr std::size_t kShortGrant = 8;
        if (begin >= end || end - begin > kShortGrant) return false;
        for (std::size_t k = begin; k < end; ++k)
            if (on(word(k), kGranting)) return true;
        return false;
    }

    // "LOINC for lab tests?", "Letting users tune their own thresholds?": a short question
    // with no question word asks it only to wave it away. A longer one ("And the flag
    // persisting on the chart, following the patient to the next visit?") does so only with
    // no question word anywhere in it.
    [[nodiscard]] bool rhetorical(std::size_t begin, std::size_t end) const {
        constexpr std::size_t kShortQuestion = 12;
        constexpr std::size_t kLongQuestion = 18;
        static constexpr std::array<std::string_view, 24> kAsking = {
            "what", "why", "how", "when", "where", "who", "which", "whose", "do", "does", "did", "is",
            "are",  "was", "can", "could", "should", "would", "will", "have", "has", "shall", "whether", "enough"};
        if (!t_[end - 1].ends_question) return false;
        // "Data: enough gold summaries?", "Privacy: is there a BAA?": a checklist's label is not
        // part of its question.
        for (std::size_t k = lead(begin, end) + 1; k < end && k <= begin + kLabelWords; ++k) {
            if (t_[k].boundary == Boundary::Clause) {
                begin = k;
                break;
            }
        }
        // "So we need X, Y and Z?", "So now we're supposed to X?", "And the plan is X?": a
        // proposal said back as a question mocks it, however long. "So what do we do?" asks.
        const std::string_view first = word(begin);
        const std::string_view second = word(begin + 1);
        if ((first == "so" || first == "and") && !on(second, kAsking) &&
            (is(begin + 1, Subject) || second == "now" || second == "before" ||
             (second == "the" && (word(begin + 2) == "plan" || word(begin + 2) == "idea"))))
            return true;
        // "Do we really need X?", "Does anyone really believe X?"
        if ((first == "do" || first == "does") && word(begin + 2) == "really") return true;
        if (end - begin > kLongQuestion) return false;
        if (on(word(lead(begin, end)), kAsking)) return false;
        if (end - begin <= kShortQuestion) return true;
        for (std::size_t k = begin; k < end; ++k)
            if (on(word(k), kAsking)) return false;
        return true;
    }

    void mark_sentence(std::size_t begin, std::size_t end, std::uint32_t sentence) {
        for (std::size_t k = begin; k < end; ++k) marks_.sentence[k] = sentence;
        previous_sentence_begin_ = marks_.sentence.empty() || begin == 0 ? begin : sentence_begin_;
        sentence_begin_ = begin;
        sentence_end_ = end;
        if (rhetorical(begin, end)) {
            for (std::size_t k = begin; k < end; ++k) {
                marks_.polarity[k] = Polarity::Dismissed;
                marks_.cue[k] = static_cast<std::uint32_t>(end - 1);
            }
            return;
        }
        std::size_t clause = begin;
        while (clause < end) {
            const std::size_t next = clause_end(clause, end);
            // "You can't train on notes unless they're de-identified", "we never deploy until
            // clinicians sign off": a negation with its condition states a requirement.
            const std::string_view opener = word(next);
            const bool requirement =
                (next < end && (opener == "unless" || opener == "until" || opener == "before") && has_negator(clause, next)) ||
                negated_without(clause, next) || lack_means(begin, next) || forbids(clause, next);
            if (!requirement) mark_clause(clause, next);
            clause = next;
        }
    }

    // Where the clause starting at `begin` ends: at a hard boundary, at a word that opens a
    // clause, or at a comma followed by a new subject. A condition, or a clause fronted by
    // "without" or "instead of", ends at its first comma.
    // "Nothing reaches the chart without a clinician signing off", "you can't lawfully train
    // on notes without that step": a negation that ends in "without" states a requirement.
    [[nodiscard]] bool negated_without(std::size_t begin, std::size_t end) const {
        bool negated = false;
        for (std::size_t k = begin; k < end; ++k) {
            if (word(k) == "without") return negated;
            if (is(k, Negator) && word(k) != "no" && !is(k + 1, Cancelling)) negated = true;
            if (word(k) == "nothing" || word(k) == "nobody" || word(k) == "never") negated = true;
        }
        return false;
    }

    // "No de-identification means you can't use the notes": what a lack rules out says the
    // lacking thing is needed, not that what it rules out is unwanted.
    [[nodiscard]] bool lack_means(std::size_t sentence_begin, std::size_t end) const {
        const std::string_view first = word(sentence_begin);
        if (first != "no" && first != "without") return false;
        for (std::size_t k = sentence_begin + 1; k < end; ++k)
            if (word(k) == "means" || word(k) == "meant") return true;
        return false;
    }

    // "The law and basic ethics say we can't use identifiable notes", "the policy means you
    // mustn't": a rule that forbids states a requirement, and is itself upheld, not argued
    // against.
    [[nodiscard]] bool forbids(std::size_t begin, std::size_t end) const {
        bool rule_spoke = false;
        for (std::size_t k = begin; k < end; ++k) {
            const std::string_view w = word(k);
            if (on(w, kRuleVerbs)) rule_spoke = true;
            if (!is(k, Negator)) continue;
            const bool prohibition = w == "cant" || w == "cannot" || w == "mustnt" || w == "shouldnt" ||
                                     (w == "not" && k > begin && on(word(k - 1), kProhibitingModals));
            return rule_spoke && prohibition;
        }
        return false;
    }

    [[nodiscard]] bool rather_before(std::size_t begin, std::size_t k) const {
        for (std::size_t j = begin; j < k; ++j)
            if (word(j) == "rather" && word(j + 1) != "than") return true;
        return false;
    }

    [[nodiscard]] bool has_negator(std::size_t begin, std::size_t end) const {
        for (std::size_t k = begin; k < end; ++k)
            if (is(k, Negator)) return true;
        return false;
    }

    // The first word of a clause after "and", "but" or "so": what decides its kind.
    [[nodiscard]] std::size_t lead(std::size_t begin, std::size_t end) const {
        while (begin + 1 < end && (word(begin) == "and" || word(begin) == "but" || word(begin) == "so" ||
                                   word(begin) == "or" || word(begin) == "then"))
            ++begin;
        return begin;
    }

    [[nodiscard]] bool is_condition(std::size_t at) const {
        return is(at, Condition) || (word(at) == "in" && word(at + 1) == "case");
    }

    std::size_t clause_end(std::size_t begin, std::size_t end) const {
        const std::size_t first = lead(begin, end);
        // A fronted subordinate clause or phrase ends at its comma: "Since no patients will be
        // contacted, the IRB can waive consent", "With no patient contact, ...".
        const bool to_first_comma = is_condition(first) || preposition_cue_length(first) > 0 || is(first, Fronted);
        for (std::size_t k = begin + 1; k < end; ++k) {
            const Boundary b = t_[k].boundary;
            if (b >= Boundary::Clause) return k;
            if (category_[k] == 0 && b == Boundary::None) continue;
            if (opens_clause(k)) return k;
            if (b == Boundary::Comma) {
                if (to_first_comma || is(k, Subject) || is(k, Condition)) return k;
                // A list goes on with nouns ("guardrails, the review queue and monitoring"); a
                // comma before "using", "with" or "for" starts a phrase about something else.
                if (is_stop_word(word(k)) && !is(k, ListWord)) return k;
                if ((word(k) == "and" || word(k) == "or" || word(k) == "then") && is(k + 1, Subject)) return k;
                if (word(k) == "plus") return k;  // ", plus paging and bulk export": something added
            }
            if ((word(k) == "and" || word(k) == "or" || word(k) == "then") && is(k + 1, Subject) &&
                word(k + 1) != "that")
                return k;
            // "... and just stuff the results in", "but then added": a new verb, a new clause.
            if ((word(k) == "and" || word(k) == "or" || word(k) == "but") && is(k + 1, Adverb)) return k;
        }
        return end;
    }

    [[nodiscard]] bool opens_clause(std::size_t k) const {
        const std::string_view w = word(k);
        if (is(k, Condition) && w != "where" && w != "whether") return true;
        if (!is(k, ClauseOpener)) return w == "instead" && word(k + 1) != "of";
        // "not so", "not yet" and "no longer than" keep the clause going.
        return !(k > 0 && is(k - 1, Negator));
    }

    // "rather than", "instead of", "in place of": length of the cue at k, or 0.
    [[nodiscard]] std::size_t preposition_cue_length(std::size_t k) const {
        if (word(k) == "rather" && word(k + 1) == "than") return 2;
        if (word(k) == "instead" && word(k + 1) == "of") return 2;
        if (word(k) == "in" && word(k + 1) == "place" && word(k + 2) == "of") return 3;
        if (word(k) == "without") return 1;
        return 0;
    }

    // "get rid of", "do away with", "decided against": length of the cue at k, or 0.
    [[nodiscard]] std::size_t rejecting_phrase_length(std::size_t k) const {
        if (word(k) == "get" && word(k + 1) == "rid" && word(k + 2) == "of") return 3;
        if ((word(k) == "got" || word(k) == "getting") && word(k + 1) == "rid" && word(k + 2) == "of") return 3;
        if (word(k) == "do" && word(k + 1) == "away" && word(k + 2) == "with") return 3;
        if (is(k, Against) && word(k + 1) == "against") return 2;
        if (word(k) == "hold" && word(k + 1) == "off") return 2;
        if (word(k) == "steer" && word(k + 1) == "clear") return 2;
        if (word(k) == "stay" && word(k + 1) == "away") return 2;
        return 0;
    }

    // A phrase of kVerdictPhrases at k: its length, or 0. "X is out" counts at a clause end.
    [[nodiscard]] std::size_t verdict_phrase_length(std::size_t k) const {
        if (!is(k, PhraseStart)) return 0;
        if ((word(k) == "is" || word(k) == "are" || word(k) == "its" || word(k) == "thats") && word(k + 1) == "out" &&
            (k + 2 >= t_.size() || t_[k + 2].boundary >= Boundary::Comma))
            return 2;
        for (const auto& phrase : kVerdictPhrases) {
            std::size_t n = 0;
            while (n < phrase.size() && word(k + n) == phrase[n]) ++n;
            if (n == phrase.size()) return n;
        }
        return 0;
    }

    // A judgement that comes after what it judges: "sounds nice", "nobody uses it", "never
    // caught anything", "rarely tells you anything new".
    [[nodiscard]] bool judgement_at(std::size_t k) const {
        const std::string_view w = word(k);
        if ((w == "sounds" || w == "sound" || w == "looks" || w == "look") &&
            (is(k + 1, FaintPraise) || is(k + 2, FaintPraise)))
            return true;
        if (w == "nobody" || w == "never" || w == "rarely" || w == "seldom") {
            for (std::size_t j = k + 1; j <= k + 3; ++j)
                if (is(j, FailedResult)) return true;
        }
        return false;
    }

    // A verdict right after a negator, allowing small words between ("not a real priority").
    [[nodiscard]] bool verdict_after(std::size_t k, std::size_t end) const {
        for (std::size_t j = k + 1; j < end && j <= k + 3; ++j) {
            if (is(j, Verdict)) return true;
            if (!is_stop_word(word(j)) && !is(j, VerdictFiller)) return false;
        }
        return false;
    }

    // Whether the word at j stands for something said before ("skip it", "skip that,") rather
    // than introducing what follows ("skip that step").
    [[nodiscard]] bool is_anaphor(std::size_t j, std::size_t end) const {
        if (!is(j, Anaphor)) return false;
        if (word(j + 1) == "to") return false;  // "didn't bother asking them to repeat it back"
        return j + 1 >= end || t_[j + 1].boundary >= Boundary::Comma || is_stop_word(word(j + 1)) ||
               is(j + 1, Trailing);
    }

    // "we don't need it", "no need to think about that", "wouldn't bother with them".
    [[nodiscard]] bool anaphor_after(std::size_t k, std::size_t end) const {
        // A light verb first ("need", "bother", "build"), then at most two other words before
        // the pronoun: "wouldn't build special controls for them", but not "don't show it".
        if (k + 1 >= end || !(is(k + 1, ToPronoun) || is_anaphor(k + 1, end))) return false;
        std::size_t others = 0;
        for (std::size_t j = k + 1; j < end && j <= k + 6; ++j) {
            if (is_anaphor(j, end)) return true;
            if (!is(j, ToPronoun) && !is_stop_word(word(j)) && ++others > 2) return false;
        }
        return false;
    }

    // "so I wouldn't bother", "so I didn't", "I'd rather not": a negation with nothing of its
    // own after it refuses what was proposed before it.
    [[nodiscard]] bool bare_refusal(std::size_t k, std::size_t end) const {
        // "I'd rather not, overrides become a habit": the refusal ends at its comma.
        for (std::size_t j = k + 1; j < end && t_[j].boundary < Boundary::Comma; ++j)
            if (!is_stop_word(word(j)) && !is(j, Trailing) && !is(j, Empty) && !on(word(j), kRefusalTail)) return false;
        return true;
    }

    // "Latency's fine, never measured it", "response times, never checked": a point never
    // acted on, said after it.
    [[nodiscard]] bool never_done(std::size_t k, std::size_t end) const {
        // Only as a clause of its own after a comma: "failure modes you never tested" describes.
        if (word(k) != "never" || t_[k].boundary < Boundary::Comma || k + 1 >= end || is_stop_word(word(k + 1)) ||
            is(k + 1, Cancelling))
            return false;
        return k + 2 >= end || t_[k + 2].boundary >= Boundary::Comma || is_anaphor(k + 2, end);
    }

    // "X creates more risk than it removes", "more cost than they save".
    [[nodiscard]] bool more_than_it_gives(std::size_t k, std::size_t end) const {
        if (word(k) != "more") return false;
        for (std::size_t j = k + 1; j < end && j <= k + 3; ++j)
            if (word(j) == "than")
                return word(j + 1) == "it" || word(j + 1) == "they" || word(j + 1) == "its" || word(j + 1) == "theyre";
        return false;
    }

    // "I'd leave out the samples", "leave them out", "I'd leave for later": how many words of
    // the cue at k, which rejects what follows it; or, for a cue that closes on what it
    // rejects ("leave them out", "leave for later"), what the sentence said before.
    enum class Leave : std::uint8_t { None, What, Before };
    [[nodiscard]] Leave leave_at(std::size_t k, std::size_t end) const {
        if (word(k) != "leave" && word(k) != "leaving") return Leave::None;
        const std::string_view next = word(k + 1);
        if (next == "out" || next == "aside") return Leave::What;
        const std::size_t after = is_anaphor(k + 1, end) ? k + 2 : k + 1;
        if (word(after) == "out" || word(after) == "aside") return after == k + 1 ? Leave::What : Leave::Before;
        if (word(after) == "for" && (word(after + 1) == "later" || word(after + 1) == "now")) return Leave::Before;
        return Leave::None;
    }

    // "is", "was", "been", "got": what a past participle after it is said in the passive with.
    [[nodiscard]] bool passive_auxiliary(std::size_t k) const {
        const std::string_view w = word(k);
        return w == "be" || w == "been" || w == "being" || w == "is" || w == "are" || w == "was" || w == "were" ||
               w == "get" || w == "gets" || w == "got";
    }

    // "The pilot was scrapped", "was drafted and quietly shelved", "a feedback button, axed.":
    // a point reported as abandoned, whoever abandoned it.
    [[nodiscard]] bool reported_abandoned(std::size_t begin, std::size_t k, std::size_t end) const {
        if (k == begin) return false;
        std::size_t before = k - 1;
        if (word(before).ends_with("ly") && before > begin) --before;  // "was quietly shelved"
        if (passive_auxiliary(before)) return true;
        if (word(before) == "and" || word(before) == "then")
            for (std::size_t j = begin; j < before; ++j)
                if (passive_auxiliary(j)) return true;
        return t_[k].boundary >= Boundary::Comma && nothing_after(k, end);
    }

    // "X tells you nothing", "it changes nothing": what a point is said to be worth.
    [[nodiscard]] bool yields_nothing(std::size_t begin, std::size_t k, std::size_t end) const {
        if (word(k) != "nothing" || !nothing_after(k, end) || k == begin) return false;
        const std::size_t verb = (word(k - 1) == "you" || word(k - 1) == "us") && k >= begin + 2 ? k - 2 : k - 1;
        return on(word(verb), kYields);
    }

    // "X just adds noise", "comparing them just muddies things": "just" after what the clause
    // is about, with a verb after it, belittles that subject. "We just added a rule", "it is
    // just the digital chart" and "just as good" describe instead.
    [[nodiscard]] bool belittling_just(std::size_t begin, std::size_t k, std::size_t end) const {
        static constexpr std::array<std::string_view, 23> kNotAfter = {
            "is", "are", "was", "were", "be", "been", "its", "thats", "theyre", "not", "isnt", "arent",
            "dont", "doesnt", "cant", "wont", "wouldnt", "shouldnt", "and", "or", "but", "then", "so"};
        static constexpr std::array<std::string_view, 12> kNotBefore = {
            "as", "like", "about", "enough", "before", "after", "once", "now", "because", "how", "what", "right"};
        if (k == begin || k + 1 >= end || on(word(k - 1), kNotAfter) || is_stop_word(word(k + 1)) ||
            on(word(k + 1), kNotBefore) || t_[k + 1].boundary >= Boundary::Comma)
            return false;
        for (std::size_t j = begin; j < k; ++j) {
            const std::string_view w = word(j);
            if (w == "i" || w == "we" || w == "id" || w == "wed" || w == "ill" || w == "well" || w == "you" ||
                w == "youd" || w == "lets" || w == "ive" || w == "weve" || w == "im")
                return false;
        }
        return true;
    }

    // "X is legal's problem", "the vendor's business", "not my department": a point handed to
    // someone else.
    [[nodiscard]] bool handed_off(std::size_t begin, std::size_t k) const {
        if (!is(k, OwnedBy) || k < begin + 2) return false;
        const std::string_view owner = word(k - 1);
        if ((owner == "my" || owner == "our") && word(k - 2) == "not") return true;
        if (owner.size() < 3 || owner.back() != 's' || is_stop_word(owner) || owner == "everyones" ||
            owner == "everybodys" || owner == "its" || owner == "this" || owner == "his" || owner == "was")
            return false;
        bool copula = false;
        for (std::size_t j = k >= begin + 5 ? k - 5 : begin; j < k - 1; ++j) {
            const std::string_view w = word(j);
            if (is(j, Negator)) return false;
            copula = copula || w == "is" || w == "are" || w == "its" || w == "thats" || w == "theyre";
        }
        return copula;
    }

    // Nothing but small words and "entirely" after k in its clause: the rejection is of what
    // came before ("CPT I'd skip", "extensions I'd ignore entirely").
    [[nodiscard]] bool nothing_after(std::size_t k, std::size_t end) const {
        for (std::size_t j = k + 1; j < end; ++j)
            if (!is_stop_word(word(j)) && !is(j, Trailing) && !is(j, Empty)) return false;
        return true;
    }

    // Whether the speaker is the subject somewhere earlier in the sentence, for a verb that
    // shares it after a conjunction: "we kept the firewall but skipped access controls".
    [[nodiscard]] bool first_person_before(std::size_t k) const {
        for (std::size_t j = sentence_begin_; j < k; ++j) {
            const std::string_view w = word(j);
            if (w == "i" || w == "we" || w == "id" || w == "wed" || w == "ill" || w == "im" || w == "ive" || w == "weve")
                return true;
        }
        return false;
    }

    [[nodiscard]] bool embedded(std::size_t clause_begin) const {
        const std::string_view w = word(clause_begin);
        if (w != "which" && w != "who" && w != "whose" && w != "before" && w != "where") return false;
        for (std::size_t j = sentence_begin_ + 1; j <= clause_begin; ++j)
            if (t_[j].boundary >= Boundary::Comma) return false;
        return true;
    }

    [[nodiscard]] bool only_refusal_after(std::size_t cue) const {
        for (std::size_t j = cue + 1; j < sentence_end_ && t_[j].boundary < Boundary::Comma; ++j)
            if (!is_stop_word(word(j)) && !is(j, Trailing) && !is(j, Empty) && !is(j, Anaphor) && !is(j, ToPronoun) &&
                !on(word(j), kRefusalTail) && !is(j, RejectingWord))
                return false;
        return true;
    }

    [[nodiscard]] bool only_empty_words(std::size_t begin, std::size_t end) const {
        for (std::size_t k = begin; k < end; ++k)
            if (!is(k, Empty)) return false;
        return true;
    }

    // Marks what came before a verdict in its clause (or, when the clause has nothing of its
    // own before it, from the start of the sentence) as argued against.
    void reject_before(std::size_t clause_begin, std::size_t cue) {
        // "..., but that distinction doesn't matter": a clause about "that" or "this" judges
        // what the sentence said before it.
        const std::size_t first = lead(clause_begin, cue);
        const bool demonstrative = first < cue && (word(first) == "that" || word(first) == "thats" || word(first) == "this" ||
                                                   word(first) == "these" || word(first) == "those" ||
                                                   word(first) == "such" || word(first) == "all");
        std::size_t from = only_empty_words(clause_begin, cue) || demonstrative ? sentence_begin_ : clause_begin;
        // "An ML filter deciding which warnings to show sounds clever", "logging who opened
        // which chart is ...": a clause opened inside the subject, with no comma before it,
        // is part of what is judged.
        if (from > sentence_begin_ && embedded(from)) from = sentence_begin_;
        // "Showing the features just invites arguments; I'd skip that.", "It's overkill.": a
        // sentence that opens with nothing but a verdict judges the one before it. "Skip those
        // and the features come out wrong" goes on to say something of its own.
        if (from == sentence_begin_ && only_empty_words(sentence_begin_, cue) && only_refusal_after(cue))
            from = previous_sentence_begin_;
        for (std::size_t k = from; k < cue; ++k) {
            if (marks_.polarity[k] == Polarity::Dismissed) continue;
            marks_.polarity[k] = Polarity::Dismissed;
            marks_.cue[k] = static_cast<std::uint32_t>(cue);
        }
    }

    // Where a "without", "instead of" or "rather than" stops: it governs a short noun phrase,
    // not the rest of the clause ("instead of a full rollout I suggested a pilot").
    [[nodiscard]] std::size_t preposition_scope_end(std::size_t after, std::size_t end) const {
        constexpr std::size_t kPhraseWords = 5;
        std::size_t words = 0;
        for (std::size_t j = after; j < end; ++j) {
            if (j > after && (t_[j].boundary >= Boundary::Comma || is(j, Subject) || opens_clause(j))) return j;
            if (!is_stop_word(word(j)) && ++words > kPhraseWords) return j;
        }
        return end;
    }

    void mark_clause(std::size_t begin, std::size_t end) {
        if (is_condition(lead(begin, end))) return;
        // Each negation covers the rest of the clause or, for "no", "without", "instead of"
        // and negative pronouns, a short phrase; a word is negated when an odd number of them
        // cover it, in the sense of the latest.
        struct Scope {
            std::size_t end;
            Polarity kind;
            std::size_t cue;
        };
        std::vector<Scope> scopes;
        auto odd = [&] { return scopes.size() % 2 == 1; };
        auto negate = [&](std::size_t at, Polarity as, std::size_t until) { scopes.push_back({until, as, at}); };
        auto apply = [&](std::size_t k) {
            if (!odd()) return;
            marks_.polarity[k] = scopes.back().kind;
            marks_.cue[k] = static_cast<std::uint32_t>(scopes.back().cue);
        };
        for (std::size_t k = begin; k < end; ++k) {
            std::erase_if(scopes, [&](const Scope& scope) { return scope.end <= k; });
            if (category_[k] == 0) {
                apply(k);
                continue;
            }
            const std::string_view w = word(k);
            const std::string_view next = word(k + 1);
            // "not only", "no doubt", "isn't just about": these negate nothing. "Can't just
            // skip them" still negates the verb.
            const bool only_after_no = next == "matter" || next == "doubt" || next == "wonder";
            const bool copula = w == "not" || w == "no" || w == "isnt" || w == "wasnt" || w == "arent" || w == "werent";
            if (is(k, Negator) && is(k + 1, Cancelling) && copula && (!only_after_no || w == "no")) {
                ++k;
                continue;
            }
            if (w == "not" && k > begin && word(k - 1) == "or") continue;  // "whether or not"
            if (w == "not" && word(k + 1) == "to" && word(k + 2) == "mention") {
                k += 2;
                continue;
            }
            if (const std::size_t length = verdict_phrase_length(k); length > 0) {
                if (!odd()) reject_before(begin, k);
                k += length - 1;
                continue;
            }
            if (judgement_at(k)) {
                if (!odd()) reject_before(begin, k);
                if (w != "nobody" && w != "never" && w != "rarely" && w != "seldom") continue;
            }
            if (w == "neither" || w == "nor") {
                // Both halves of "neither ... nor" are negated; they do not cancel.
                if (!odd()) negate(k, Polarity::Negated, end);
                continue;
            }
            // "I'd rather spend it on one classifier than on a multi-stage pipeline".
            if (w == "than" && rather_before(begin, k)) {
                negate(k, Polarity::Negated, preposition_scope_end(k + 1, end));
                continue;
            }
            // "Ensembles just slow inference."
            if (w == "just" && (word(k + 1) == "slow" || word(k + 1) == "slows")) {
                if (!odd()) reject_before(begin, k);
                ++k;
                continue;
            }
            if (w == "just" && belittling_just(begin, k, end)) {
                // What is belittled is the subject right before "just": "..., and the doctor
                // just talks" belittles nothing said before "and the doctor"; "race and
                // insurance type just produces noise" belittles both.
                std::size_t subject = k;
                while (subject > begin &&
                       !((word(subject - 1) == "and" || word(subject - 1) == "or" || word(subject - 1) == "but") &&
                         (is(subject, Subject) || is(subject, ListWord))))
                    --subject;
                // The verb after "just" is the rejection quoted back: "age bands just muddies".
                if (!odd()) reject_before(subject, k + 1);
                continue;
            }
            if (is(k, Interjection)) {
                if (!odd()) reject_before(sentence_begin_, k);
                continue;
            }
            if (handed_off(begin, k)) {
                if (!odd()) reject_before(begin, k);
                continue;
            }
            if (more_than_it_gives(k, end)) {
                if (!odd()) reject_before(begin, k);
                continue;
            }
            // "BIO tags are a dated convention", "feels dated".
            if (w == "dated" && k > begin &&
                (word(k - 1) == "a" || word(k - 1) == "is" || word(k - 1) == "are" || word(k - 1) == "feel" ||
                 word(k - 1) == "feels" || word(k - 1) == "looks" || word(k - 1) == "bit" || word(k - 1) == "too")) {
                if (!odd()) reject_before(begin, k);
                continue;
            }
            // "..., so why pick one?": a question that asks why at all.
            if (w == "why" && k > sentence_begin_ && t_[end - 1].ends_question && end == sentence_end_ &&
                (word(k - 1) == "so" || word(k - 1) == "then" || t_[k].boundary >= Boundary::Comma)) {
                if (!odd()) reject_before(sentence_begin_, k);
                continue;
            }
            if (const Leave leave = leave_at(k, end); leave != Leave::None) {
                const bool stance = k == begin || is(k - 1, Agent) || (k >= begin + 2 && is(k - 2, Agent)) ||
                                    t_[k].boundary >= Boundary::Comma;
                if (stance && leave == Leave::What) {
                    negate(k, Polarity::Dismissed, end);  // "never leave out X" says X
                } else if (stance && !odd()) {
                    reject_before(sentence_begin_, k);
                }
                continue;
            }
            if (const std::size_t length = preposition_cue_length(k); length > 0) {
                negate(k, Polarity::Negated, preposition_scope_end(k + length, end));
                k += length - 1;
                continue;
            }
            if (const std::size_t length = rejecting_phrase_length(k); length > 0) {
                negate(k, Polarity::Dismissed, end);
                k += length - 1;
                continue;
            }
            if (is(k, Negator)) {
                if (never_done(k, end)) {
                    if (!odd()) reject_before(sentence_begin_, k);
                    continue;
                }
                if (handed_off(begin, k + 2) ||
                    yields_nothing(begin, k, end) ||
                    (w == "nothing" && word(k + 1) == "to" && word(k + 2) == "do" && nothing_after(k + 2, end))) {
                    if (!odd()) reject_before(begin, k);
                    continue;
                }
                if (verdict_after(k, end)) {
                    if (!odd()) reject_before(begin, k);
                    negate(k, Polarity::Dismissed, end);
                    continue;
                }
                // "..., so no." closes on a refusal of what the sentence proposed.
                if ((w == "no" || w == "nope") && k + 1 >= end && k > sentence_begin_) {
                    reject_before(sentence_begin_, k);
                    continue;
                }
                if (w != "no" && w != "none" && bare_refusal(k, end)) {
                    if (!odd()) reject_before(begin, k);
                    continue;
                }
                // "No, ..." answers the question; it negates nothing after it.
                if (k + 1 < end && t_[k + 1].boundary >= Boundary::Comma) continue;
                const bool dismissive = next == "need" || next == "bother";
                // "no patient contact", "nothing to a general model": a determiner or a
                // negative pronoun covers its own short phrase.
                const bool phrase = !dismissive && (w == "no" || w == "nothing" || w == "nobody" || w == "none");
                negate(k, dismissive ? Polarity::Dismissed : Polarity::Negated,
                       phrase ? preposition_scope_end(k + 1, end) : end);
                if (odd() && anaphor_after(k, end)) {
                    // The rejection's object was the pronoun: what follows is not under it.
                    reject_before(sentence_begin_, k);
                    scopes.pop_back();
                }
                continue;
            }
            if (is(k, Abandoned) && reported_abandoned(begin, k, end)) {
                if (!odd()) reject_before(begin, k);
                continue;
            }
            if (w == "just" && k > begin && is(k - 1, Negator)) continue;  // "can't just"
            const bool after_conjunction = k > 0 && (word(k - 1) == "and" || word(k - 1) == "but" ||
                                                     word(k - 1) == "or" || word(k - 1) == "then" || word(k - 1) == "so");
            // "would be ignored" says what happens to it, not what the speaker would do.
            const bool passive = k > 0 && passive_auxiliary(k - 1);
            // "..., skip it.", "..., so skip it."
            const bool imperative = t_[k].boundary >= Boundary::Comma || (k > begin && k == lead(begin, end));
            const bool stance = !passive && (k == begin || imperative || is(k - 1, Agent) ||
                                             (k >= begin + 2 && is(k - 2, Agent)) ||
                                             (after_conjunction && first_person_before(k)));
            if ((is(k, DismissingVerb) && stance) ||
                (is(k, Doubting) && (word(k + 1) == "of" || word(k + 1) == "about"))) {
                negate(k, Polarity::Dismissed, end);
                if (!odd()) continue;
                if (k + 1 < end && is_anaphor(k + 1, end)) {
                    reject_before(sentence_begin_, k);
                    scopes.pop_back();
                    ++k;
                } else if (nothing_after(k, end)) {
                    reject_before(begin, k);
                }
                continue;
            }
            // "it slows everything down", "it just adds complexity", "a lot of overhead".
            const bool slows_down = (w == "slow" || w == "slows" || w == "slowed" || w == "slowing") &&
                                    std::any_of(t_.begin() + static_cast<std::ptrdiff_t>(k + 1),
                                                t_.begin() + static_cast<std::ptrdiff_t>(std::min(end, k + 5)),
                                                [](const Token& t) { return t.folded == "down"; });
            const bool adds_burden = (w == "add" || w == "adds" || w == "adding") &&
                                     (is(k + 1, Burden) || is(k + 2, Burden));
            const bool bare_overhead = w == "overhead" && (k == begin || is_stop_word(word(k - 1)));
            // "it makes everything slow", "makes it too complex".
            const bool makes_worse = (w == "make" || w == "makes" || w == "making") &&
                                     (is(k + 1, TooWhat) || is(k + 2, TooWhat) || is(k + 3, TooWhat));
            // "makes the model less useful".
            const bool makes_less = (w == "make" || w == "makes" || w == "making") &&
                                    (word(k + 1) == "less" || word(k + 2) == "less" || word(k + 3) == "less");
            if (slows_down || adds_burden || bare_overhead || makes_worse || makes_less || is(k, HarmVerb)) {
                if (!odd()) reject_before(begin, k);
                continue;
            }
            if (is(k, RejectingWord) || (w == "too" && is(k + 1, TooWhat))) {
                if (!odd()) reject_before(begin, k);
                if (w == "too") ++k;
                continue;
            }
            apply(k);
        }
    }

    const std::vector<Token>& t_;
    std::vector<std::uint32_t> category_;  // the lists each word is on
    ClauseMarks marks_;
    std::size_t sentence_begin_ = 0;
    std::size_t previous_sentence_begin_ = 0;
    std::size_t sentence_end_ = 0;
};

}  // namespace

ClauseMarks mark_negation(const std::vector<Token>& tokens) { return NegationMarker(tokens).run(); }

}  // namespace ehrprep
