import { INTERVENTION_LABELS, InterventionSchema } from "../catalogue.js";
import type { ModelCard } from "./model-card.js";

/**
 * The model card as an entry in the shape of the Dutch Algoritmeregister publication standard.
 * Pure: the card and a few registry facts in, a JSON-ready entry (and its markdown) out.
 * Everything that needs a person's judgement (legal basis, considerations and proportionality,
 * impact assessments, and organisation / contact when not configured) is left as PLACEHOLDER —
 * never invented.
 */
export const PLACEHOLDER = "IN TE VULLEN door de gemeente";
export const SHORT_DESCRIPTION_MAX = 350;

export type RegisterStatus = "In ontwikkeling" | "In gebruik" | "Buiten gebruik";

export type AlgorithmRegisterEntry = {
  standard: "Algoritmeregister publicatiestandaard";
  modelVersion: string;
  name: string;
  shortDescription: string;
  organisation: string;
  status: RegisterStatus;
  purposeAndImpact: string;
  considerations: string;
  humanInvolvement: string;
  riskManagement: string;
  legalBasis: string;
  impactAssessments: string;
  dataAndSources: string;
  technicalOperation: string;
  contact: string;
};

/** Dutch field labels, in the order of the publication standard. */
export const REGISTER_FIELDS: { key: Exclude<keyof AlgorithmRegisterEntry, "standard" | "modelVersion">; label: string }[] = [
  { key: "name", label: "Naam" },
  { key: "shortDescription", label: "Korte omschrijving" },
  { key: "organisation", label: "Organisatie" },
  { key: "status", label: "Status" },
  { key: "purposeAndImpact", label: "Doel en impact" },
  { key: "considerations", label: "Afwegingen" },
  { key: "humanInvolvement", label: "Menselijke tussenkomst" },
  { key: "riskManagement", label: "Risicobeheer" },
  { key: "legalBasis", label: "Wettelijke basis" },
  { key: "impactAssessments", label: "Impacttoetsen" },
  { key: "dataAndSources", label: "Data en databronnen" },
  { key: "technicalOperation", label: "Technische werking" },
  { key: "contact", label: "Contact" },
];

export type RegisterContext = {
  /** Registry status of this model version. */
  status: "candidate" | "active" | "retired" | "failed";
  disclosureStatus: "unchecked" | "passed" | "failed";
  /** SHA-256 of the training table, when known. */
  dataHash: string | null;
  /** From configuration; PLACEHOLDER when not set. */
  organisation?: string | null;
  contact?: string | null;
};

const STATUS: Record<RegisterContext["status"], RegisterStatus> = {
  candidate: "In ontwikkeling",
  active: "In gebruik",
  retired: "Buiten gebruik",
  failed: "Buiten gebruik",
};

const armLabel = (arm: string): string => {
  const known = InterventionSchema.safeParse(arm);
  return known.success ? INTERVENTION_LABELS[known.data].nl : arm;
};

const num = (v: number | null, digits = 2): string => (v === null ? "niet beschikbaar" : v.toFixed(digits));

export function shortDescription(card: ModelCard): string {
  const text =
    "Trajectwijzer schat voor een cliënt in de bijstand per re-integratietraject de kans op betaald werk. " +
    `De klantmanager ziet ${card.model.arms.length} trajecten op volgorde, met onzekerheid en uitleg, en beslist zelf. ` +
    "Het advies wordt nooit gebruikt voor sancties of fraudeopsporing.";
  return text.length < SHORT_DESCRIPTION_MAX ? text : `${text.slice(0, SHORT_DESCRIPTION_MAX - 2)}…`;
}

export function algorithmRegisterEntry(card: ModelCard, context: RegisterContext): AlgorithmRegisterEntry {
  const arms = card.model.arms.map(armLabel);
  const control = armLabel(card.model.control);
  const groups = [...new Set(card.featuresUsed.map((f) => f.group))];
  const notUsed = card.featuresNotUsed.map((f) => f.name);
  const auditOnly = card.featuresNotUsed.filter((f) => f.reason.startsWith("audit only")).map((f) => f.name);
  const overall = card.performance.overall;
  const disclosure =
    context.disclosureStatus === "passed"
      ? "De onthullingscontrole (geen gegevens op persoonsniveau, elke telling minstens 10 personen, membership-inference-toets) is geslaagd."
      : context.disclosureStatus === "failed"
        ? "De onthullingscontrole is NIET geslaagd; dit model mag niet in gebruik worden genomen."
        : "De onthullingscontrole is voor deze versie nog niet uitgevoerd.";
  return {
    standard: "Algoritmeregister publicatiestandaard",
    modelVersion: card.version,
    name: "Trajectwijzer — advies over re-integratietrajecten",
    shortDescription: shortDescription(card),
    organisation: context.organisation?.trim() || PLACEHOLDER,
    status: STATUS[context.status],
    purposeAndImpact:
      "Doel: klantmanagers helpen kiezen welk re-integratietraject een cliënt in de bijstand (Participatiewet) het meest helpt om binnen 12 maanden betaald werk te vinden. " +
      `Het model schat per traject (${arms.join(", ")}) de kans op werk en het verschil met ${control}, met een onzekerheidsinterval en uitleg. ` +
      "Impact: de cliënt krijgt een traject dat beter bij de persoon past; het advies raakt geen uitkering, geen sanctie en geen fraudeonderzoek. " +
      `Niet bedoeld voor: ${card.notIntendedFor.length} toepassingen die in de modelkaart staan (o.a. sancties en het rangschikken van cliënten tegen elkaar).`,
    considerations: PLACEHOLDER,
    humanInvolvement:
      "De klantmanager beslist altijd zelf. Het advies is een hulpmiddel: de klantmanager kan elk advies overrulen en legt dan de reden vast. " +
      "Elke beslissing en elke inzage van een cliënt wordt gelogd. Managers vergelijken periodiek de uitkomsten van gevolgde en niet-gevolgde adviezen.",
    riskManagement: [
      disclosure,
      "Getallen over minder dan 10 personen worden niet getoond.",
      "Waar weinig vergelijkbare cliënten een traject kregen, wordt het advies gemarkeerd als zwak onderbouwd en nooit als eerste getoond.",
      auditOnly.length > 0
        ? `Herkomst en geslacht (${auditOnly.join(", ")}) zijn nooit invoer van het model; ze worden alleen gebruikt om eerlijkheid per groep te controleren.`
        : "Herkomst, nationaliteit en indrukken van klantmanagers zijn nooit invoer van het model.",
      "Een nieuwe modelversie wordt eerst vergeleken met het actieve model; in gebruik nemen en terugdraaien worden gelogd.",
    ].join(" "),
    legalBasis: PLACEHOLDER,
    impactAssessments: PLACEHOLDER,
    dataAndSources:
      `Gepseudonimiseerde, gekoppelde en gegeneraliseerde analysetabel (${card.data.table}, ${card.data.rows ?? "<10"} trajecten) ` +
      "uit gemeentelijke bestanden over huishouden, werkverleden, uitkeringen, opleiding en taal, schulden, zorg (Wmo) en medicatiegebruik (alleen grove ATC-groepen), en eerdere trajecten met hun uitkomst. " +
      `Gebruikte kenmerkgroepen: ${groups.join(", ")}. Niet gebruikt als kenmerk: ${notUsed.join(", ")}. ` +
      `Directe identificatoren (BSN, naam, adres, exacte geboortedatum) zitten niet in de data.${context.dataHash ? ` SHA-256 van de trainingstabel: ${context.dataHash}.` : ""}`,
    technicalOperation:
      `Neuraal netwerk met een gedeelde representatie en één uitkomstkop per traject plus een propensity-kop (TARNet/Dragonnet), ensemble van ${card.model.members} leden, per traject gekalibreerd. ` +
      "Het leert uit historische trajecten hoe de kans op werk samenhangt met kenmerken en traject, en schat zo wat er onder elk traject zou gebeuren. " +
      `Prestaties op de validatieset: AUC ${num(overall.auc)}, Brier-score ${num(overall.brier, 3)}, kalibratiefout ${num(overall.ece, 3)}. ` +
      `Modelversie ${card.version}.`,
    contact: context.contact?.trim() || PLACEHOLDER,
  };
}

export function algorithmRegisterMarkdown(entry: AlgorithmRegisterEntry): string {
  const lines = [`# Algoritmeregister — ${entry.name}`, "", `Modelversie: \`${entry.modelVersion}\` · ${entry.standard}`, ""];
  for (const { key, label } of REGISTER_FIELDS) lines.push(`## ${label}`, "", entry[key], "");
  return lines.join("\n");
}
