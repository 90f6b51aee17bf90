import { LEARNER_KINDS, type LearnerKind } from "../learners/kinds.js";
import type { ValidationMetrics } from "./model-card.js";

/**
 * What the model card says about the learner that predicts: how it works, and how its 80% interval
 * is made and how often it held the truth where the truth is known. The card describes the learner
 * in the bundle, not always the network: `auto` mostly ships a stack, whose intervals hold the
 * true chance far less often than the network's (README, "Causal quality on the generator").
 * The figures come from `npm run bench -- quality --seed S --report-tables 0 --learner K` on the
 * project's synthetic data (20 000 clients, seeds 1, 3, 5, 7; for the stack `auto`, which chose it
 * on every seed). The card is written in English; the app and the algorithm register read the
 * Dutch beside it.
 */
type Sentence = { en: string; nl: string };

export const ARCHITECTURE: Record<LearnerKind, Sentence> = {
  network: {
    en: "TARNet/Dragonnet-style multi-head network (shared representation, an outcome head shared by all arms plus a penalised deviation head per arm, propensity head), bootstrap ensemble, per-arm calibration",
    nl: "Netwerk met meerdere koppen in de stijl van TARNet/Dragonnet (gedeelde representatie, een uitkomstkop voor alle trajecten plus een beboete afwijkingskop per traject, een propensitykop), bootstrap-ensemble, kalibratie per traject",
  },
  "t-linear": {
    en: "T-learner: one penalised regression per intervention (logistic for a yes/no outcome; for a number ridge, or log-linear where cross-validation prefers it) on a spline basis of the features, the penalty chosen by cross-validation; bootstrap refits for the interval",
    nl: "T-learner: één beboete regressie per traject (logistisch voor een ja/nee-uitkomst; voor een getal ridge, of log-lineair waar kruisvalidatie dat verkiest) op een splinebasis van de kenmerken, de boete gekozen door kruisvalidatie; bootstrap-herschattingen voor het interval",
  },
  "s-linear": {
    en: "S-learner: one penalised regression over all interventions (a shift per intervention) plus a more strongly penalised deviation per intervention, on a spline basis of the features; bootstrap refits for the interval",
    nl: "S-learner: één beboete regressie over alle trajecten (een verschuiving per traject) plus een sterker beboete afwijking per traject, op een splinebasis van de kenmerken; bootstrap-herschattingen voor het interval",
  },
  dr: {
    en: "DR-learner: the gain over the control arm regressed (ridge on a spline basis) on cross-fitted doubly robust pseudo-outcomes, on top of a T-learner for the control arm; bootstrap refits for the interval",
    nl: "DR-learner: de winst ten opzichte van de vergelijkingsgroep geregresseerd (ridge op een splinebasis) op kruisgeschatte dubbel robuuste pseudo-uitkomsten, bovenop een T-learner voor de vergelijkingsgroep; bootstrap-herschattingen voor het interval",
  },
  "dr-trees": {
    en: "DR-learner with boosted stumps: the gain over the control arm learned by gradient-boosted one-split trees on cross-fitted doubly robust pseudo-outcomes, on top of a T-learner for the control arm; bootstrap refits for the interval",
    nl: "DR-learner met geboosterde stompjes: de winst ten opzichte van de vergelijkingsgroep geleerd met gradient boosting van bomen met één splitsing op kruisgeschatte dubbel robuuste pseudo-uitkomsten, bovenop een T-learner voor de vergelijkingsgroep; bootstrap-herschattingen voor het interval",
  },
  stack: {
    en: "Stack: a weighted average of the learners named in the validation table (weights fitted on their cross-fitted predictions), each refitted on all training rows",
    nl: "Stapeling: een gewogen gemiddelde van de learners in de validatietabel (gewichten geschat op hun kruisgeschatte voorspellingen), elk opnieuw geschat op alle trainingsrijen",
  },
};

const SAMPLE_ONLY = {
  en: "it covers the uncertainty from the training sample, not systematic errors of the model",
  nl: "het dekt de onzekerheid door de trainingssteekproef, niet systematische fouten van het model",
};

/** The bootstrap learners' sentence, with how often their interval held the true chance and gain (percent ranges over the four seeds). */
const bootstrapInterval = (kind: LearnerKind, chance: string, gain: string): Sentence => ({
  en: `The 80% interval comes from refits on bootstrap samples of the training rows: ${SAMPLE_ONLY.en}, such as the bias of a penalty or of a first stage that every refit shares. On the project's synthetic data it held the true chance for only ${chance}% of clients and the true gain over regular guidance for ${gain}% (npm run bench -- quality --learner ${kind}, seeds 1, 3, 5, 7): read it as far too narrow.`,
  nl: `Het 80%-interval komt uit herschattingen op bootstrapsteekproeven van de trainingsrijen: ${SAMPLE_ONLY.nl}, zoals de vertekening door een boete of door een eerste stap die elke herschatting deelt. Op de synthetische gegevens van het project bevatte het de werkelijke kans voor maar ${chance}% van de cliënten en de werkelijke winst ten opzichte van reguliere begeleiding voor ${gain}% (npm run bench -- quality --learner ${kind}, seeds 1, 3, 5, 7): lees het als veel te smal.`,
});

export const INTERVAL: Record<LearnerKind, Sentence> = {
  network: {
    en: `The 80% interval comes from the disagreement between ensemble members (seeds and bootstrap weights), widened for their small number (Student's t) and for the tempered bootstrap: ${SAMPLE_ONLY.en}. On the project's synthetic data it held the true chance for 82–84% of clients and the true gain over regular guidance for 88–93% (npm run bench -- quality --learner network, seeds 1, 3, 5, 7).`,
    nl: `Het 80%-interval komt uit de onderlinge verschillen tussen de ensembleleden (seeds en bootstrapgewichten), verbreed voor hun kleine aantal (Student-t) en voor de getemperde bootstrap: ${SAMPLE_ONLY.nl}. Op de synthetische gegevens van het project bevatte het de werkelijke kans voor 82–84% van de cliënten en de werkelijke winst ten opzichte van reguliere begeleiding voor 88–93% (npm run bench -- quality --learner network, seeds 1, 3, 5, 7).`,
  },
  "t-linear": bootstrapInterval("t-linear", "37–40", "50–59"),
  "s-linear": bootstrapInterval("s-linear", "30–33", "43–49"),
  dr: bootstrapInterval("dr", "44–51", "50–63"),
  "dr-trees": bootstrapInterval("dr-trees", "40–45", "37–63"),
  stack: {
    en: "The 80% interval is the parts' weighted interval widened by how far the parts disagree (between-model variance): it covers the uncertainty from the training sample and from the choice between the parts, not systematic errors they share. On the project's synthetic data it held the true chance for only 55–65% of clients (the parts share a regularised expectation under regular guidance whose bias no refit shows) and the true gain over regular guidance for 72–88% (npm run bench -- quality, seeds 1, 3, 5, 7).",
    nl: "Het 80%-interval is het gewogen interval van de delen, verbreed naar hoe ver de delen uiteenlopen (variantie tussen de modellen): het dekt de onzekerheid door de trainingssteekproef en door de keuze tussen de delen, niet systematische fouten die ze delen. Op de synthetische gegevens van het project bevatte het de werkelijke kans voor maar 55–65% van de cliënten (de delen delen een beboete verwachting onder reguliere begeleiding waarvan geen herschatting de vertekening laat zien) en de werkelijke winst ten opzichte van reguliere begeleiding voor 72–88% (npm run bench -- quality, seeds 1, 3, 5, 7).",
  },
};

export const PERFORMANCE_SPLIT: Record<ValidationMetrics["split"], Sentence> = {
  validation: {
    en: "Performance figures here are on the validation split used for early stopping (and, with the training rows, for calibration); see the evaluation report for held-out results.",
    nl: "De prestatiecijfers hier gaan over het validatiedeel dat voor vroeg stoppen is gebruikt (en, met de trainingsrijen, voor kalibratie); zie het evaluatierapport voor resultaten op apart gehouden gegevens.",
  },
  "cross-fitted": {
    en: "Performance figures here are the predicting learner's on every training row, each predicted by the validation's fits that did not see it (cross-fitted: fitted on two thirds of the rows, where the shipped learner saw all of them); see the evaluation report for held-out results.",
    nl: "De prestatiecijfers hier zijn die van de voorspellende learner op elke trainingsrij, elk voorspeld door de schattingen uit de validatie die die rij niet zagen (kruisgeschat: geschat op twee derde van de rijen, waar de meegeleverde learner ze allemaal zag); zie het evaluatierapport voor resultaten op apart gehouden gegevens.",
  },
};

/** Every sentence above, English → Dutch (for the app's rendering of a card). */
export const LEARNER_CARD_DUTCH: Readonly<Record<string, string>> = Object.fromEntries(
  [...Object.values(ARCHITECTURE), ...Object.values(INTERVAL), ...Object.values(PERFORMANCE_SPLIT)].map((s) => [s.en, s.nl]),
);

/** A learner kind from a card (a string, as older and newer trainers may write others): the network when unknown. */
export function cardKind(kind: string | undefined): LearnerKind {
  return LEARNER_KINDS.find((k) => k === kind) ?? "network";
}
