import type { Lang } from "../config/catalogue.js";

/** Every text of the report (HTML and CSV headers) in Dutch and English. */
const TEXT = {
  title: { nl: "Wat werkt voor wie", en: "What works for whom" },
  intro: {
    nl: "Dit rapport schat per uitkomst en per traject het gemiddelde effect ten opzichte van {control}, voor alle cliënten samen en per groep, uit de gegevens van eerdere trajecten.",
    en: "This report estimates, per outcome and per trajectory, the average effect compared with {control}, for all clients together and per group, from the data of past trajectories.",
  },
  meta: {
    nl: "Model {model} · {rows} trajecten in de tabel · gemaakt op {date}",
    en: "Model {model} · {rows} trajectories in the table · made on {date}",
  },
  limitsTitle: { nl: "Wat deze cijfers wel en niet laten zien", en: "What these figures can and cannot show" },
  limits1: {
    nl: "De gegevens komen uit de praktijk, niet uit een experiment: klantmanagers kozen de trajecten. De schattingen corrigeren voor de kenmerken in de tabel met een dubbel robuuste schatter (AIPW: een model voor de kans op elk traject en een model voor de uitkomst, elk geschat op andere cliënten dan waarop het wordt toegepast).",
    en: "The data come from practice, not from an experiment: case workers chose the trajectories. The estimates adjust for the characteristics in the table with a doubly robust estimator (AIPW: a model of the chance of each trajectory and a model of the outcome, each fitted on other clients than those it is applied to).",
  },
  limits2: {
    nl: "Ze zijn alleen een effect als er geen andere, niet gemeten verschillen zijn tussen wie welk traject kreeg (geen ongemeten verstoring) en als vergelijkbare cliënten elk traject en de reguliere begeleiding konden krijgen (overlap). Dat eerste is niet te toetsen met deze gegevens.",
    en: "They are an effect only if there are no other, unmeasured differences between who got which trajectory (no unmeasured confounding) and if comparable clients could get each trajectory as well as regular guidance (overlap). The first cannot be tested with these data.",
  },
  limits3: {
    nl: "Overlap: {share} van de cliënten had voor minstens één traject te weinig vergelijkbare cliënten (een kans onder {threshold} op dat traject of op reguliere begeleiding). Kansen onder {clip} tellen als {clip}.",
    en: "Overlap: {share} of the clients had too few comparable clients for at least one trajectory (a chance below {threshold} of that trajectory or of regular guidance). Chances below {clip} count as {clip}.",
  },
  logged: {
    nl: "Vastgelegde kansen: bij {rows} trajecten legde Trajectwijzer vast met welke kans het eerst getoonde traject werd gekozen om als eerste te tonen ('effecten meetbaar houden'); daar is de kans op het gekregen traject op die loting afgestemd. Geschat aandeel dat het eerst getoonde traject volgde: {follow}.",
    en: "Logged probabilities: for {rows} trajectories Trajectwijzer logged the probability with which the trajectory shown first was drawn to be shown first ('keep effects measurable'); there the chance of the trajectory received is conditioned on that draw. Estimated share that followed the trajectory shown first: {follow}.",
  },
  limits4: {
    nl: "Elk cijfer gaat over minstens {min} mensen, met minstens {min} in het traject en {min} in reguliere begeleiding; kleinere groepen staan er niet in (<{min}), en waar nodig ook een tweede groep, zodat een verborgen cijfer niet uit de andere is af te leiden. Het interval is een 95%-betrouwbaarheidsinterval. Herkomst en geslacht staan er alleen in om gelijke behandeling te toetsen: het model gebruikt ze nooit.",
    en: "Every figure covers at least {min} people, with at least {min} in the trajectory and {min} in regular guidance; smaller groups are left out (<{min}), and where needed a second group too, so that a hidden figure cannot be derived from the others. The interval is a 95% confidence interval. Origin and sex are included only to audit equal treatment: the model never uses them.",
  },
  limits5: {
    nl: "Per groep gaat het om samenhang: een groter effect bij cliënten met schulden hoeft niet door de schulden te komen.",
    en: "Per group these are associations: a larger effect among clients with debts need not be caused by the debts.",
  },
  overall: { nl: "Gemiddeld effect per traject", en: "Average effect per trajectory" },
  overallDesc: {
    nl: "Effect ten opzichte van {control} op {outcome}, met 95%-interval, voor alle cliënten in de tabel.",
    en: "Effect compared with {control} on {outcome}, with 95% interval, for all clients in the table.",
  },
  bySubgroup: { nl: "Per groep", en: "By group" },
  bySubgroupDesc: {
    nl: "Effect van {arm} ten opzichte van {control} op {outcome} per groep, met 95%-interval.",
    en: "Effect of {arm} compared with {control} on {outcome} per group, with 95% interval.",
  },
  factorsTitle: { nl: "Welke kenmerken samengaan met de uitkomst en met het effect", en: "Which characteristics go with the outcome and with the effect" },
  factorsIntro: {
    nl: "Een lineaire samenvatting (beste lineaire projectie) van de uitkomst bij {control} en van het effect per cliënt op alle kenmerken tegelijk. Alleen kenmerken waarvan het 95%-interval nul niet bevat staan hieronder; getallen zijn per standaarddeviatie bij een getal, anders ten opzichte van de meest voorkomende waarde.",
    en: "A linear summary (best linear projection) of the outcome under {control} and of the per-client effect on all characteristics at once. Only characteristics whose 95% interval excludes zero are listed; figures are per standard deviation for a number, otherwise against the most common value.",
  },
  level: { nl: "Uitkomst bij {control}", en: "Outcome under {control}" },
  effectOf: { nl: "Effect van {arm}", en: "Effect of {arm}" },
  higher: { nl: "hoger", en: "higher" },
  lower: { nl: "lager", en: "lower" },
  none: { nl: "Geen kenmerk met een duidelijk verband.", en: "No characteristic with a clear association." },
  trajectory: { nl: "Traject", en: "Trajectory" },
  group: { nl: "Groep", en: "Group" },
  value: { nl: "Waarde", en: "Value" },
  characteristic: { nl: "Kenmerk", en: "Characteristic" },
  outcome: { nl: "Uitkomst", en: "Outcome" },
  estimate: { nl: "Effect", en: "Effect" },
  coefficient: { nl: "Samenhang", en: "Association" },
  interval: { nl: "95%-interval", en: "95% interval" },
  lowerBound: { nl: "Ondergrens", en: "Lower" },
  upperBound: { nl: "Bovengrens", en: "Upper" },
  people: { nl: "Aantal cliënten", en: "Clients" },
  all: { nl: "alle cliënten", en: "all clients" },
  audit: { nl: "alleen voor toetsing gelijke behandeling", en: "only to audit equal treatment" },
  perSd: { nl: "per standaarddeviatie ({sd})", en: "per standard deviation ({sd})" },
  secondary: { nl: "Overige uitkomsten", en: "Other outcomes" },
  outcomeModel: {
    nl: "Uitkomstmodel: {model}.",
    en: "Outcome model: {model}.",
  },
  network: { nl: "het netwerk van het model (op cliënten waarop het niet is getraind)", en: "the model's network (on clients it was not trained on)" },
  linear: { nl: "geregulariseerde regressie per traject, kruisgevalideerd op deze tabel", en: "regularised regression per trajectory, cross-fitted on this table" },
  points: { nl: "procentpunt", en: "percentage points" },
  files: { nl: "Bestanden: report.json (alle cijfers), effects.csv en factors.csv.", en: "Files: report.json (all figures), effects.csv and factors.csv." },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TEXT;

/** A report text with `{name}` placeholders filled in. */
export function reportText(lang: Lang, key: TextKey, values: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
