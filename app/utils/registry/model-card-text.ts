import { LEARNER_CARD_DUTCH } from "../../../model/bundle/learner-card-text";
import type { Lang } from "../i18n";

/**
 * The model card's sentences in the reader's language. A bundle's card (model/bundle/model-card.ts) is
 * written in English, the language of the published markdown; the app shows the Dutch text for each
 * sentence the trainer writes. A sentence without a translation (a newer trainer, another tool) is
 * shown as it is and marked as English, so that a screen reader pronounces it correctly.
 */
const DUTCH: Record<string, string> = {
  ...LEARNER_CARD_DUTCH,
  "Estimates, for one client, the chance of the outcome under each intervention, the gain over the control arm, its uncertainty and the evidence behind it, to support (never replace) a case worker's choice of trajectory.":
    "Schat voor één cliënt de kans op de uitkomst onder elk traject, de winst ten opzichte van de vergelijkingsgroep, de onzekerheid daarvan en het bewijs erachter, om de trajectkeuze van een klantmanager te ondersteunen (nooit te vervangen).",
  "Decision support for case workers, who always decide and can overrule the advice with a reason.":
    "Beslisondersteuning voor klantmanagers, die altijd zelf beslissen en het advies met een reden kunnen overrulen.",
  "sanctions, fraud detection or any decision about benefits": "sancties, fraudeopsporing of welk besluit over een uitkering dan ook",
  "ranking or selecting clients against each other": "cliënten tegen elkaar rangschikken of selecteren",
  "use outside the population and period the training data describe": "gebruik buiten de populatie en periode die de trainingsgegevens beschrijven",
  "pseudonym / row id: identifies a row, not a client property": "pseudoniem / rijnummer: wijst een rij aan, geen eigenschap van de cliënt",
  "the intervention itself (the model predicts under every intervention)": "het traject zelf (het model voorspelt onder elk traject)",
  "the outcome being predicted": "de uitkomst die wordt voorspeld",
  "audit only: kept to check fairness per group, never a model feature": "alleen voor controle: bewaard om de eerlijkheid per groep te toetsen, nooit een kenmerk van het model",
  "ground truth for evaluation only, never seen in training": "werkelijke waarde alleen voor evaluatie, nooit gezien bij de training",
  "not listed as a feature in the schema": "staat niet als kenmerk in het schema",
  "Learned from observational data: the estimates are causal only if the recorded features capture why clients got their intervention (no unmeasured confounding).":
    "Geleerd uit waarnemingsgegevens: de schattingen zijn alleen causaal als de vastgelegde kenmerken verklaren waarom cliënten hun traject kregen (geen ongemeten verstorende factoren).",
  "Where few comparable clients got an intervention (low propensity, or fewer than 10 in the client's cell) the estimate is flagged as low evidence and never ranked first.":
    "Waar weinig vergelijkbare cliënten een traject kregen (lage propensity, of minder dan 10 in de groep van de cliënt) krijgt de schatting de markering weinig bewijs en komt die nooit als eerste.",
  "The 80% interval comes from the disagreement between ensemble members (seeds and bootstrap weights), widened for their small number (Student's t) and for the tempered bootstrap: it covers the uncertainty from the training sample, not systematic errors of the model. On the project's synthetic data it held the true chance for 82–87% of clients and the true gain over regular guidance for 91–95% (npm run bench -- quality, seeds 1, 3, 5, 7).":
    "Het 80%-interval komt uit de onderlinge verschillen tussen de ensembleleden (seeds en bootstrapgewichten), verbreed voor hun kleine aantal (Student-t) en voor de getemperde bootstrap: het dekt de onzekerheid door de trainingssteekproef, niet systematische fouten van het model. Op de synthetische gegevens van het project bevatte het de werkelijke kans voor 82–87% van de cliënten en de werkelijke winst ten opzichte van reguliere begeleiding voor 91–95% (npm run bench -- quality, seeds 1, 3, 5, 7).",
  "Nationality, origin and case workers' impressions are never features; origin and sex are used only to audit fairness.":
    "Nationaliteit, herkomst en indrukken van klantmanagers zijn nooit kenmerken; herkomst en geslacht worden alleen gebruikt om de eerlijkheid te toetsen.",
  binary: "binair (ja/nee)",
  continuous: "continu",
  numeric: "getal",
  categorical: "categorie",
};

export type CardText = { text: string; lang?: "en" };

/** A card sentence in `lang`: the Dutch text when there is one, else the English original marked as such. */
export function cardText(text: string, lang: Lang): CardText {
  if (lang === "en") return { text };
  const known = DUTCH[text];
  return known ? { text: known } : { text, lang: "en" };
}
