#include <catch2/catch.hpp>

#include <string>

#include "ehrprep/negation.hpp"

using namespace ehrprep;

namespace {

// How `word` (its first occurrence, folded) is said in `text`.
Polarity polarity_of(const std::string& text, const std::string& word) {
    const std::vector<Token> tokens = tokenize(text);
    const ClauseMarks marks = mark_negation(tokens);
    for (std::size_t k = 0; k < tokens.size(); ++k)
        if (tokens[k].folded == word) return marks.polarity[k];
    FAIL("'" << word << "' is not in: " << text);
    return Polarity::Affirmed;
}

constexpr Polarity kSaid = Polarity::Affirmed;
constexpr Polarity kNegated = Polarity::Negated;
constexpr Polarity kDismissed = Polarity::Dismissed;

}  // namespace

TEST_CASE("a negation reaches to the end of its clause and no further", "[negation]") {
    const std::string text = "We skipped the pilot but did add human review.";
    CHECK(polarity_of(text, "pilot") == kDismissed);
    CHECK(polarity_of(text, "human") == kSaid);
    CHECK(polarity_of("Deploy it without guardrails or monitoring.", "monitoring") == kNegated);
    CHECK(polarity_of("We don't use guardrails. Human review is essential.", "human") == kSaid);
    CHECK(polarity_of("Don't rely on accuracy alone: report precision and recall.", "precision") == kSaid);
    CHECK(polarity_of("Don't rely on accuracy alone: report precision and recall.", "accuracy") == kNegated);
    CHECK(polarity_of("No single number is enough \xE2\x80\x94 you need entity-level scores", "entity") == kSaid);
}

TEST_CASE("a list after a rejection is rejected item by item until a new clause starts", "[negation]") {
    const std::string list = "We'd skip guardrails, human review and incident monitoring.";
    CHECK(polarity_of(list, "guardrails") == kDismissed);
    CHECK(polarity_of(list, "human") == kDismissed);
    CHECK(polarity_of(list, "incident") == kDismissed);
    const std::string two_clauses = "We skipped guardrails, and we added incident monitoring.";
    CHECK(polarity_of(two_clauses, "guardrails") == kDismissed);
    CHECK(polarity_of(two_clauses, "incident") == kSaid);
    CHECK(polarity_of("There's no silver bullet, so human review stays.", "human") == kSaid);
    CHECK(polarity_of("We'd skip guardrails, the review queue and monitoring.", "queue") == kDismissed);
    CHECK(polarity_of("Test on notes the model never saw, using seqeval for scores.", "seqeval") == kSaid);
}

TEST_CASE("two negations cancel and some negative words negate nothing", "[negation]") {
    CHECK(polarity_of("Never deploy without human review.", "human") == kSaid);
    CHECK(polarity_of("No draft goes out without physician sign-off.", "physician") == kSaid);
    CHECK(polarity_of("We would never skip validation.", "validation") == kSaid);
    CHECK(polarity_of("Not only guardrails but also human review.", "guardrails") == kSaid);
    CHECK(polarity_of("Not only guardrails but also human review.", "human") == kSaid);
    CHECK(polarity_of("It wasn't just accuracy, we also checked calibration.", "accuracy") == kSaid);
    CHECK(polarity_of("No doubt human review helps.", "human") == kSaid);
    CHECK(polarity_of("No, human review is essential.", "human") == kSaid);
    CHECK(polarity_of("whether or not clinicians accept the draft", "clinicians") == kSaid);
}

TEST_CASE("neither and nor both negate", "[negation]") {
    const std::string text = "We used neither guardrails nor monitoring.";
    CHECK(polarity_of(text, "guardrails") == kNegated);
    CHECK(polarity_of(text, "monitoring") == kNegated);
}

TEST_CASE("a verdict after a point argues against it", "[negation]") {
    CHECK(polarity_of("Human review isn't needed here.", "human") == kDismissed);
    CHECK(polarity_of("Guardrails are overkill for a pilot.", "guardrails") == kDismissed);
    CHECK(polarity_of("A bias audit is not a priority.", "bias") == kDismissed);
    CHECK(polarity_of("Calibration doesn't matter much.", "calibration") == kDismissed);
    CHECK(polarity_of("Federated learning is too complex for us.", "federated") == kDismissed);
    CHECK(polarity_of("Human review sounds nice, but it's overkill.", "human") == kDismissed);
    CHECK(polarity_of("Human review isn't overkill.", "human") == kSaid);
    CHECK(polarity_of("Guardrails are a nice to have.", "guardrails") == kDismissed);
}

TEST_CASE("rejecting a pronoun rejects what it stands for, earlier in the sentence", "[negation]") {
    const std::string text = "Human review would slow clinicians down, so we would skip it, and add a dashboard.";
    CHECK(polarity_of(text, "human") == kDismissed);
    CHECK(polarity_of(text, "dashboard") == kSaid);
    CHECK(polarity_of("Guardrails add latency and we don't need them.", "guardrails") == kDismissed);
    CHECK(polarity_of("A model card takes a day; not worth it.", "card") == kSaid);  // another sentence
    CHECK(polarity_of("If confidence is low, we don't show it.", "confidence") == kSaid);
}

TEST_CASE("conditions and later clauses are not negated", "[negation]") {
    CHECK(polarity_of("If the model isn't confident, it routes the draft to a pharmacist.", "confident") == kSaid);
    CHECK(polarity_of("If the model isn't confident, it routes the draft to a pharmacist.", "pharmacist") == kSaid);
    CHECK(polarity_of("If we skip human review, patients could be harmed.", "human") == kSaid);
    CHECK(polarity_of("We don't go live until clinicians sign off.", "clinicians") == kSaid);
    CHECK(polarity_of("Without sharing records, each hospital trains locally.", "trains") == kSaid);
    CHECK(polarity_of("Without sharing records, each hospital trains locally.", "records") == kNegated);
}

TEST_CASE("instead of and rather than negate what they name", "[negation]") {
    CHECK(polarity_of("Use plain wording rather than stigmatizing labels.", "stigmatizing") == kNegated);
    CHECK(polarity_of("Use plain wording rather than stigmatizing labels.", "plain") == kSaid);
    CHECK(polarity_of("Instead of one accuracy number, report precision per entity.", "accuracy") == kNegated);
    CHECK(polarity_of("Instead of one accuracy number, report precision per entity.", "precision") == kSaid);
    CHECK(polarity_of("We decided against a pilot.", "pilot") == kDismissed);
}

TEST_CASE("every word knows its sentence and what negated it", "[negation]") {
    const std::vector<Token> tokens = tokenize("We skip audits. Then we log. E.g. access logs.");
    const ClauseMarks marks = mark_negation(tokens);
    REQUIRE(marks.sentence.size() == tokens.size());
    CHECK(marks.sentence[0] == 0);
    CHECK(marks.sentence[3] == 1);             // "Then"
    CHECK(marks.sentence.back() == 2);         // "e.g." does not end the third sentence
    CHECK(marks.cue[2] == 1);                  // "audits" was rejected by "skip"
    CHECK(marks.cue[0] == ClauseMarks::kNoCue);
}

TEST_CASE("a negation with its condition states a requirement, not a rejection", "[negation]") {
    CHECK(polarity_of("You can't legally train a model on notes unless they are de-identified.", "legally") == kSaid);
    CHECK(polarity_of("We never ship a model until clinicians sign off.", "ship") == kSaid);
}

TEST_CASE("rejecting verbs are a stance only with a person or an instruction behind them", "[negation]") {
    CHECK(polarity_of("We'd skip the bias audit.", "bias") == kDismissed);
    CHECK(polarity_of("Skip the bias audit.", "bias") == kDismissed);
    CHECK(polarity_of("CPT I'd skip, since procedures follow from diagnoses.", "cpt") == kDismissed);
    CHECK(polarity_of("The summaries omit follow-up appointments.", "appointments") == kSaid);
    CHECK(polarity_of("Clinicians dismiss most of these alerts.", "alerts") == kSaid);
}

TEST_CASE("a rejection after a conjunction keeps the speaker of its sentence", "[negation]") {
    CHECK(polarity_of("We kept a firewall but skipped access controls.", "access") == kDismissed);
    CHECK(polarity_of("I'd keep the API calls, and skip bulk export.", "bulk") == kDismissed);
    CHECK(polarity_of("Stuffing the history into every prompt makes it slow.", "history") == kDismissed);
    CHECK(polarity_of("I'd predict which alerts clinicians ignore and suppress those.", "suppress") == kSaid);
    CHECK(polarity_of("Negation handling isn't that common in our notes.", "negation") == kDismissed);
}

TEST_CASE("without, instead of and rather than govern a short phrase, not the rest of the clause", "[negation]") {
    CHECK(polarity_of("Instead of a full rollout I suggested a 60-day pilot on one unit.", "pilot") == kSaid);
    CHECK(polarity_of("Instead of a full rollout I suggested a 60-day pilot on one unit.", "rollout") == kNegated);
    CHECK(polarity_of("It holds results for review instead of filing them, plus regression tests.", "regression") == kSaid);
    CHECK(polarity_of("We would never ship without human review.", "human") == kSaid);
    CHECK(polarity_of("It means nothing to a general model, and abbreviations change meaning.", "abbreviations") ==
          kSaid);
}

TEST_CASE("a condition or a new verb after and starts a clause of its own", "[negation]") {
    CHECK(polarity_of("And if we need things it doesn't extract, like tumor staging, we fine-tune.", "tumor") == kSaid);
    CHECK(polarity_of("I'd flag the draft when the model isn't confident about a dose.", "dose") == kSaid);
    CHECK(polarity_of("I'd skip the retrieval chain and just stuff results in without clinical instructions.",
                      "clinical") == kNegated);
}

TEST_CASE("a fronted reason or a negated noun does not reach into the main clause", "[negation]") {
    CHECK(polarity_of("Since no patients will be contacted, the IRB can grant a waiver of consent.", "irb") == kSaid);
    CHECK(polarity_of("With no patient contact, a waiver of consent fits.", "waiver") == kSaid);
    CHECK(polarity_of("Every draft is signed, no auto-signing, and the attestation says so.", "attestation") == kSaid);
    CHECK(polarity_of("Every draft is signed, no auto-signing, and the attestation says so.", "auto") == kNegated);
    CHECK(polarity_of("No draft goes out without physician sign-off.", "physician") == kSaid);
    CHECK(polarity_of("We'd have no human review or guardrails.", "guardrails") == kNegated);
}

TEST_CASE("can't just negates the verb it comes with", "[negation]") {
    CHECK(polarity_of("Force a fixed template with required sections, so the model can't just skip them.",
                      "template") == kSaid);
    CHECK(polarity_of("Automated matching makes too many errors.", "matching") == kDismissed);
}

TEST_CASE("dismissals without a negation word still argue against the point", "[negation]") {
    CHECK(polarity_of("Precision and recall separately just confuse stakeholders.", "precision") == kDismissed);
    CHECK(polarity_of("Extra guardrails just make the model less useful.", "guardrails") == kDismissed);
    CHECK(polarity_of("Confidence scores aren't meaningful for LLMs.", "confidence") == kDismissed);
    CHECK(polarity_of("Per-entity review rarely works in practice.", "review") == kDismissed);
    CHECK(polarity_of("Vector databases are just another system to babysit.", "vector") == kDismissed);
    CHECK(polarity_of("Incident monitoring after launch is overkill.", "incident") == kDismissed);
}

TEST_CASE("a negation ending in without states a requirement", "[negation]") {
    CHECK(polarity_of("Nothing it produces would reach the chart without a clinician signing off.", "clinician") ==
          kSaid);
    CHECK(polarity_of("You can't lawfully train a model without that step.", "lawfully") == kSaid);
    CHECK(polarity_of("It silenced firings it predicted would be ignored.", "silenced") == kSaid);
    CHECK(polarity_of("Some endpoints wouldn't filter by date, plus paging and bulk export.", "bulk") == kSaid);
}

TEST_CASE("idiomatic dismissals argue against what they judge", "[negation]") {
    CHECK(polarity_of("Retraining loops and audit trails can wait until version two.", "audit") == kDismissed);
    CHECK(polarity_of("Severity hierarchies look nice in a committee deck but change nothing.", "severity") ==
          kDismissed);
    CHECK(polarity_of("Pretrained medical models get mentioned a lot, but they never helped us.", "pretrained") ==
          kDismissed);
    CHECK(polarity_of("Treating clinician overrides as labels is a bad idea.", "overrides") == kDismissed);
    CHECK(polarity_of("Going through the FHIR layer adds latency for nothing.", "fhir") == kDismissed);
    CHECK(polarity_of("I'd rather spend the effort on one classifier than on a RAG setup.", "rag") == kNegated);
    CHECK(polarity_of("I'd rather spend the effort on one classifier than on a RAG setup.", "classifier") == kSaid);
    CHECK(polarity_of("Fairness metrics contradict each other, so they're pointless.", "fairness") == kDismissed);
    CHECK(polarity_of("Where the training data came from doesn't matter.", "training") == kDismissed);
    CHECK(polarity_of("A Kafka pipeline is more complexity than it's worth.", "kafka") == kDismissed);
}

TEST_CASE("a short question without a question word waves its subject away", "[negation]") {
    CHECK(polarity_of("Letting users tune their own thresholds?", "thresholds") == kDismissed);
    CHECK(polarity_of("Why does calibration matter? Because risk drifts.", "calibration") == kSaid);
    CHECK(polarity_of("Differential privacy noise ruins accuracy, skip it.", "differential") == kDismissed);
    CHECK(polarity_of("Caching risks stale features, so no.", "caching") == kDismissed);
    CHECK(polarity_of("It travels between hospitals, but that distinction doesn't matter.", "hospitals") ==
          kDismissed);
    CHECK(polarity_of("Hallucinations are uncommon and I wouldn't build special controls for them.",
                      "hallucinations") == kDismissed);
    CHECK(polarity_of("We'd keep the interface clean, which is why citations are out.", "citations") == kDismissed);
    CHECK(polarity_of("Human review isn't something we would skip.", "human") == kSaid);
}

TEST_CASE("a claim put forward only to be disputed is argued against", "[negation]") {
    const std::string vendors = "Vendors like to say a data warehouse fixes interoperability, but every site still mails CSV files.";
    CHECK(polarity_of(vendors, "warehouse") == kDismissed);
    CHECK(polarity_of(vendors, "csv") == kSaid);
    CHECK(polarity_of("The textbook answer is k-fold cross-validation, but one split was plenty for us.", "fold") ==
          kDismissed);
    CHECK(polarity_of("Ensemble models get recommended a lot, but one model is easier to ship.", "ensemble") ==
          kDismissed);
    CHECK(polarity_of("Audit trails are supposed to deter snooping, but that's wishful thinking.", "audit") ==
          kDismissed);
    CHECK(polarity_of("People love to quote the HIPAA penalty tiers. Honestly, I don't find them useful.", "penalty") ==
          kDismissed);
}

TEST_CASE("a claim that is not disputed, or that was negative, keeps what it says", "[negation]") {
    CHECK(polarity_of("The textbook answer is FHIR, and on our project FHIR was right.", "textbook") == kSaid);
    CHECK(polarity_of("Audit trails are supposed to deter snooping, and ours are reviewed weekly.", "audit") == kSaid);
    CHECK(polarity_of("People say human review can't scale, but we made it work by sampling.", "human") == kSaid);
    CHECK(polarity_of("We added human review because people say drafts drift, but they held up.", "human") == kSaid);
    CHECK(polarity_of("Clinicians said the alerts were noisy, but severity tiers fixed that.", "alerts") == kSaid);
    CHECK(polarity_of("People love to quote the HIPAA penalty tiers. They are steep.", "penalty") == kSaid);
}

TEST_CASE("a bare refusal turns down what was proposed before it", "[negation]") {
    CHECK(polarity_of("Asking for consent twice felt awkward, so I didn't.", "consent") == kDismissed);
    CHECK(polarity_of("Weekly model reviews eat a morning, so I wouldn't bother.", "reviews") == kDismissed);
    CHECK(polarity_of("Per-user thresholds cause chaos, so that's out.", "thresholds") == kDismissed);
    CHECK(polarity_of("Tuning each threshold by hand invites debate. I'd skip that.", "threshold") == kDismissed);
    CHECK(polarity_of("I'd rather not guess: we measure drift weekly.", "drift") == kSaid);
    CHECK(polarity_of("We log every override. Skip that and you lose the audit trail.", "override") == kSaid);
    CHECK(polarity_of("We log every override. We would never skip it.", "override") == kSaid);
}

TEST_CASE("a shrug, a point worth nothing or a point handed to others argues against it", "[negation]") {
    CHECK(polarity_of("Dashboards for drift, meh, nobody opens them.", "drift") == kDismissed);
    CHECK(polarity_of("Dashboards for drift, meh. Audit logs matter.", "audit") == kSaid);
    CHECK(polarity_of("Per-site calibration changes nothing.", "calibration") == kDismissed);
    CHECK(polarity_of("Nothing changes in the chart until a clinician signs.", "chart") == kSaid);
    CHECK(polarity_of("Breach notification is legal's problem.", "breach") == kDismissed);
    CHECK(polarity_of("Who gets paged at night is not my department.", "paged") == kDismissed);
    CHECK(polarity_of("Bias is not just the data team's problem.", "bias") == kSaid);
    CHECK(polarity_of("Patient safety is everyone's concern.", "safety") == kSaid);
}

TEST_CASE("just after what a clause is about belittles it, but not a plain description", "[negation]") {
    CHECK(polarity_of("Splitting results by age band just muddies the picture.", "age") == kDismissed);
    CHECK(polarity_of("Race and insurance breakdowns just produce noisy numbers.", "race") == kDismissed);
    CHECK(polarity_of("We just added a second reviewer.", "reviewer") == kSaid);
    CHECK(polarity_of("An EMR is just the digital chart of one practice.", "digital") == kSaid);
    CHECK(polarity_of("The scribe records the visit, and the doctor just talks to the patient.", "records") == kSaid);
    CHECK(polarity_of("It's not just accuracy that matters.", "accuracy") == kSaid);
}

TEST_CASE("more ways of turning a point down, each next to an honest use of the same words", "[negation]") {
    CHECK(polarity_of("Shadow mode delays launch, so skip it.", "shadow") == kDismissed);
    CHECK(polarity_of("Clinicians read the draft and skip the sections they trust.", "sections") == kSaid);
    CHECK(polarity_of("I didn't bother asking them to rate the alerts.", "rate") == kDismissed);
    CHECK(polarity_of("Token cost, never measured it.", "token") == kDismissed);
    CHECK(polarity_of("It catches failure modes you never tested.", "failure") == kSaid);
    CHECK(polarity_of("Versioned prompts sound tidy. I'd rather not, the team is small.", "versioned") == kDismissed);
    CHECK(polarity_of("I'd leave out the worked examples.", "examples") == kDismissed);
    CHECK(polarity_of("Model cards and lineage, I'd leave for later.", "lineage") == kDismissed);
    CHECK(polarity_of("We never leave out the allergy section.", "allergy") == kSaid);
    CHECK(polarity_of("Patients can leave the study at any time.", "study") == kSaid);
    CHECK(polarity_of("Fairness metrics disagree, so why pick one?", "fairness") == kDismissed);
    CHECK(polarity_of("Explain why the model flagged the patient.", "flagged") == kSaid);
    CHECK(polarity_of("Rule-based negation feels dated.", "negation") == kDismissed);
    CHECK(polarity_of("Notes dated before 2015 were excluded.", "notes") == kSaid);
    CHECK(polarity_of("Choosing between vector stores is bikeshedding.", "vector") == kDismissed);
}

TEST_CASE("a point said to be no better, or to cost more than it gives, is argued against", "[negation]") {
    CHECK(polarity_of("Domain-tuned embeddings are no better than general ones.", "domain") == kDismissed);
    CHECK(polarity_of("Domain-tuned embeddings ranked guidelines better than general ones.", "domain") == kSaid);
    CHECK(polarity_of("A feature store adds more upkeep than it saves.", "feature") == kDismissed);
    CHECK(polarity_of("A feature store saves more time than manual joins.", "feature") == kSaid);
}

TEST_CASE("a verdict on a subject with a clause inside it reaches the whole subject", "[negation]") {
    CHECK(polarity_of("A reviewer deciding which drafts to sign sounds nice but slows clinics.", "reviewer") ==
          kDismissed);
    CHECK(polarity_of("We log who opened which chart, and audits run weekly.", "log") == kSaid);
    CHECK(polarity_of("We log who opened which chart, and audits run weekly.", "audits") == kSaid);
}

TEST_CASE("a point said to be noise, never complete or slow to the point of years is argued against", "[negation]") {
    CHECK(polarity_of("Logging every click is noise.", "logging") == kDismissed);
    CHECK(polarity_of("Differential privacy adds calibrated noise.", "calibrated") == kSaid);
    CHECK(polarity_of("Terminology mappings are never complete.", "terminology") == kDismissed);
    CHECK(polarity_of("We check that every note is complete before export.", "note") == kSaid);
    CHECK(polarity_of("Site-by-site validation would take a year.", "validation") == kDismissed);
    CHECK(polarity_of("Take a year of notes as the training set.", "notes") == kSaid);
}

TEST_CASE("a longer question waves its subject away only with no question word in it", "[negation]") {
    CHECK(polarity_of("And the nightly export to a second warehouse, mirrored across both regions for safety?",
                      "export") == kDismissed);
    CHECK(polarity_of("So the real question became which of the three sites drifted and by how much?", "sites") ==
          kSaid);
}

TEST_CASE("a point held up as theory or as what others list, then turned against, is argued against", "[negation]") {
    CHECK(polarity_of("Guardrails, human review and confidence scores: the textbook answer. In reality the doctor "
                      "signs anyway.",
                      "guardrails") == kDismissed);
    CHECK(polarity_of("The safety people will list guardrails and a clinician sign-off. Conceptually I agree. But "
                      "the doctor signs anyway.",
                      "guardrails") == kDismissed);
    CHECK(polarity_of("Active learning is lovely in theory. In the real world, annotators are scarce.", "active") ==
          kDismissed);
    CHECK(polarity_of("Weekly drift reports, on a slide. Realistically, the committee meets twice a year.", "drift") ==
          kDismissed);
}

TEST_CASE("the same frames keep what they say when no turn follows", "[negation]") {
    CHECK(polarity_of("Guardrails, human review and confidence scores: the textbook answer, and the right one.",
                      "guardrails") == kSaid);
    CHECK(polarity_of("The safety people will list guardrails and a clinician sign-off, and we built both.",
                      "guardrails") == kSaid);
    CHECK(polarity_of("Most vendors list FHIR support first, and ours delivered it.", "fhir") == kSaid);
    CHECK(polarity_of("We tracked drift weekly. Conceptually I agree. But the doctor signs anyway.", "drift") == kSaid);
}

TEST_CASE("an ideal design or what the literature says, granted and then overruled, is argued against", "[negation]") {
    CHECK(polarity_of("The ideal design: a knowledge graph and versioned sources. I see the appeal. But it is a "
                      "multi-year project.",
                      "graph") == kDismissed);
    CHECK(polarity_of("The literature says to tier alerts by severity. Interesting, but academic for a small clinic.",
                      "tier") == kDismissed);
    CHECK(polarity_of("The ideal design: a knowledge graph and versioned sources. We built both in a quarter.",
                      "graph") == kSaid);
    CHECK(polarity_of("The literature says to tier alerts by severity, and our override rate halved when we did.",
                      "tier") == kSaid);
}

TEST_CASE("a point reported as abandoned is argued against, whoever abandoned it", "[negation]") {
    CHECK(polarity_of("A drift dashboard was drafted and shelved.", "drift") == kDismissed);
    CHECK(polarity_of("The feedback button got quietly scrapped after a month.", "feedback") == kDismissed);
    CHECK(polarity_of("We tried a shared ontology for six months, and we killed it.", "ontology") == kDismissed);
    CHECK(polarity_of("Per-site recalibration, axed.", "recalibration") == kDismissed);
    CHECK(polarity_of("The pilot wasn't scrapped; it ran for a year.", "pilot") == kSaid);
    CHECK(polarity_of("We killed the nightly batch, and we moved scoring to a stream.", "stream") == kSaid);
}

TEST_CASE("a list offered in mockery and answered with a question is argued against", "[negation]") {
    CHECK(polarity_of("Let me guess: a streaming pipeline, a paging tree and a drift dashboard. Did I miss a "
                      "buzzword?",
                      "paging") == kDismissed);
    CHECK(polarity_of("Sure, we could recalibrate thresholds per site. Really?", "recalibrate") == kDismissed);
    CHECK(polarity_of("Sure, we could recalibrate thresholds per site, and we did at two of them.", "recalibrate") ==
          kSaid);
    CHECK(polarity_of("The textbook answer is cross-validation. Why? It uses every label once.", "validation") ==
          kSaid);
}

TEST_CASE("a verdict after a trailing ellipsis judges the list before it", "[negation]") {
    CHECK(polarity_of("Confidence scores, rule checks on allergies... thats the vendor's roadmap, not ours.",
                      "confidence") == kDismissed);
    CHECK(polarity_of("ppl love to cite severity tiers, but we shipped one level.", "severity") == kDismissed);
    CHECK(polarity_of("Confidence scores, rule checks on allergies... we shipped both in the first release.",
                      "confidence") == kSaid);
}

TEST_CASE("a proposal said back as a question mocks it however long, a real question asks", "[negation]") {
    CHECK(polarity_of("So before expanding we need per-entity confidence, a rules engine on the allergy list, a hard "
                      "stop for the doctor and a retraining cycle on corrected notes?",
                      "retraining") == kDismissed);
    CHECK(polarity_of("Do we really need a model card for a vendor tool?", "card") == kDismissed);
    CHECK(polarity_of("So what do we do about the drift we found in the second quarter at both community sites?",
                      "drift") == kSaid);
    CHECK(polarity_of("Do we need a model card? Yes, because the regulator asks for one.", "card") == kSaid);
}

TEST_CASE("what a lack rules out states a need, not a rejection", "[negation]") {
    CHECK(polarity_of("No de-identification means you can't use the notes for model development.", "model") == kSaid);
    CHECK(polarity_of("Without consent means we can't contact the patients.", "contact") == kSaid);
    CHECK(polarity_of("We can't use the notes for model development.", "model") != kSaid);
}

TEST_CASE("words that negate, reject or find fault are marked wherever they stand", "[negation]") {
    const std::vector<Token> tokens = tokenize("FHIR is slow, whatever the vendor says; we don't trust it and it's overkill.");
    const ClauseMarks marks = mark_negation(tokens);
    REQUIRE(marks.finds_fault.size() == tokens.size());
    std::vector<std::string> faulting;
    for (std::size_t k = 0; k < tokens.size(); ++k)
        if (marks.finds_fault[k]) faulting.push_back(tokens[k].folded);
    CHECK(faulting == std::vector<std::string>{"slow", "whatever", "dont", "overkill"});
}

TEST_CASE("a rule that forbids is upheld, not argued against", "[negation]") {
    const std::string law = "The law and basic ethics both say we can't use identifiable notes freely.";
    CHECK(polarity_of(law, "law") == kSaid);
    CHECK(polarity_of(law, "ethics") == kSaid);
    CHECK(polarity_of("Hospital policy means analysts must not export raw notes.", "policy") == kSaid);
    // Only a prohibition is a rule: what the speaker can't be bothered with is still rejected,
    // and so is a rule reported as not needed.
    CHECK(polarity_of("Ethics review? I can't be bothered with it.", "ethics") != kSaid);
    CHECK(polarity_of("The consultants say we don't need an ethics review.", "ethics") != kSaid);
}

TEST_CASE("a checklist's label is not part of its question, and asking for enough asks", "[negation]") {
    CHECK(polarity_of("Data: do we have gold summaries for fine-tuning?", "summaries") == kSaid);
    CHECK(polarity_of("Data: enough gold summaries for fine-tuning?", "summaries") == kSaid);
    CHECK(polarity_of("Enough labeled notes?", "labeled") == kSaid);
    // A label does not turn an echo into a question.
    CHECK(polarity_of("Review: human sign-off on every note? Please.", "sign") == kDismissed);
}
