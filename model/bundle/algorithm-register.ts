import { trajectoryName } from "../config/catalogue.js";
import { type Catalogue, defaultCatalogue } from "../config/municipality.js";
import { ARCHITECTURE, cardKind } from "./learner-card-text.js";
import type { ModelCard } from "./model-card.js";

/**
 * The model card as an entry of the Dutch Algoritmeregister, in the machine-readable field names of
 * its publication standard (version 1.0.0: `name`, `description_short`, `organization`, `goal`,
 * `proportionality`, `human_intervention`, `risks`, `lawful_basis`, `impacttoetsen_grouping`,
 * `source_data`, `methods_and_models`, …), so that the JSON can be handed to the register as it is.
 * Pure: the card and a few registry facts in, a JSON-ready entry (and its markdown) out.
 * Everything that needs a person's judgement (legal basis, proportionality, the impact assessments
 * and their status, the objection procedure, the publication category, links, and organisation /
 * contact when not configured) is PLACEHOLDER — never invented; `fieldsToFill` lists them.
 */
export const PLACEHOLDER = "IN TE VULLEN door de gemeente";
export const STANDARD_VERSION = "1.0.0";
export const SHORT_DESCRIPTION_MAX = 350;

export type RegisterStatus = "In ontwikkeling" | "In gebruik" | "Buiten gebruik";
type Link = { title: string; link: string };

export type AlgorithmRegisterEntry = {
  name: string;
  description_short: string;
  organization: string;
  category: string[];
  status: RegisterStatus;
  begin_date: string;
  end_date: string;
  contact_email: string;
  website: string;
  publication_category: string;
  url: string;
  goal: string;
  proportionality: string;
  human_intervention: string;
  risks: string;
  lawful_basis: string;
  lawful_basis_grouping: Link[];
  process_index_url: string;
  impacttoetsen_grouping: Link[];
  impacttoetsen: string;
  source_data: string;
  source_data_grouping: Link[];
  methods_and_models: string;
  provider: string;
  publiccode: string;
  lang: "nld";
  standard_version: typeof STANDARD_VERSION;
  /** Our own identifier of the registration: the model version. */
  source_id: string;
  tags: string;
};

/** The standard's fields with their Dutch titles, in its order (the markdown's headings). */
export const REGISTER_FIELDS: { key: keyof AlgorithmRegisterEntry; label: string }[] = [
  { key: "name", label: "Naam" },
  { key: "description_short", label: "Korte omschrijving" },
  { key: "organization", label: "Organisatie" },
  { key: "category", label: "Thema" },
  { key: "status", label: "Status" },
  { key: "begin_date", label: "Begindatum" },
  { key: "end_date", label: "Einddatum" },
  { key: "contact_email", label: "Contactgegevens" },
  { key: "website", label: "Link naar publiekspagina" },
  { key: "publication_category", label: "Publicatiecategorie" },
  { key: "url", label: "Link naar bronregistratie" },
  { key: "goal", label: "Doel en impact" },
  { key: "proportionality", label: "Afwegingen" },
  { key: "human_intervention", label: "Menselijke tussenkomst" },
  { key: "risks", label: "Risicobeheer" },
  { key: "lawful_basis", label: "Wettelijke basis" },
  { key: "lawful_basis_grouping", label: "Verwijzingen wettelijke basis" },
  { key: "process_index_url", label: "Link naar verwerkingsregister" },
  { key: "impacttoetsen_grouping", label: "Verwijzingen impacttoetsen" },
  { key: "impacttoetsen", label: "Toelichting op impacttoetsen" },
  { key: "source_data", label: "Gegevens" },
  { key: "source_data_grouping", label: "Verwijzingen gegevensbronnen" },
  { key: "methods_and_models", label: "Technische werking" },
  { key: "provider", label: "Leverancier" },
  { key: "publiccode", label: "Link naar broncode" },
  { key: "lang", label: "Taal" },
  { key: "standard_version", label: "Versie publicatiestandaard" },
  { key: "source_id", label: "Bron-ID" },
  { key: "tags", label: "Zoektermen" },
];

/** Fields the standard requires (an entry with a PLACEHOLDER in one of them is not ready to publish). */
export const REQUIRED_FIELDS = ["name", "description_short", "organization", "status", "contact_email", "publication_category", "lang"] as const;

export type RegisterContext = {
  /** Registry status of this model version. */
  status: "candidate" | "active" | "retired" | "failed";
  disclosureStatus: "unchecked" | "passed" | "failed";
  /** SHA-256 of the training table, when known. */
  dataHash: string | null;
  /** When this version was taken into use, and out of use (registry dates). */
  activatedAt?: Date | null;
  retiredAt?: Date | null;
  /** From configuration; PLACEHOLDER when not set. */
  organisation?: string | null;
  contact?: string | null;
  /** The bundle's catalogue (catalogue.json) for the trajectories' names; default: the default configuration's. */
  catalogue?: Catalogue;
};

const STATUS: Record<RegisterContext["status"], RegisterStatus> = {
  candidate: "In ontwikkeling",
  active: "In gebruik",
  retired: "Buiten gebruik",
  failed: "Buiten gebruik",
};


const num = (v: number | null, digits = 2): string => (v === null ? "niet beschikbaar" : v.toFixed(digits));
const month = (date: Date | null | undefined): string => (date ? date.toISOString().slice(0, 7) : "");

export function shortDescription(card: ModelCard): string {
  const text =
    "Trajectwijzer schat voor een cliënt in de bijstand per re-integratietraject de kans op betaald werk. " +
    `De klantmanager ziet ${card.model.arms.length} trajecten op volgorde, met onzekerheid en uitleg, en beslist zelf. ` +
    "Het advies wordt nooit gebruikt voor sancties of fraudeopsporing.";
  return text.length < SHORT_DESCRIPTION_MAX ? text : `${text.slice(0, SHORT_DESCRIPTION_MAX - 2)}…`;
}

export function algorithmRegisterEntry(card: ModelCard, context: RegisterContext): AlgorithmRegisterEntry {
  const catalogue = context.catalogue ?? defaultCatalogue();
  const armLabel = (arm: string) => trajectoryName(catalogue, arm, "nl");
  const arms = card.model.arms.map(armLabel);
  const control = armLabel(card.model.control);
  const groups = [...new Set(card.featuresUsed.map((f) => f.group))];
  const notUsed = card.featuresNotUsed.map((f) => f.name);
  const auditOnly = card.featuresNotUsed.filter((f) => f.reason.startsWith("audit only")).map((f) => f.name);
  const overall = card.performance.overall;
  const kind = cardKind(card.learner?.kind);
  const disclosure =
    context.disclosureStatus === "passed"
      ? "De onthullingscontrole (geen gegevens op persoonsniveau, elke telling minstens 10 personen, membership-inference-toets) is geslaagd."
      : context.disclosureStatus === "failed"
        ? "De onthullingscontrole is NIET geslaagd; dit model mag niet in gebruik worden genomen."
        : "De onthullingscontrole is voor deze versie nog niet uitgevoerd.";
  const status = STATUS[context.status];
  return {
    name: "Trajectwijzer — advies over re-integratietrajecten",
    description_short: shortDescription(card),
    organization: context.organisation?.trim() || PLACEHOLDER,
    category: ["Sociale zekerheid", "Werk"],
    status,
    begin_date: month(context.activatedAt) || PLACEHOLDER,
    end_date: status === "Buiten gebruik" ? month(context.retiredAt) || PLACEHOLDER : "",
    contact_email: context.contact?.trim() || PLACEHOLDER,
    website: PLACEHOLDER,
    publication_category: PLACEHOLDER,
    url: "",
    goal:
      "Doel: klantmanagers helpen kiezen welk re-integratietraject een cliënt in de bijstand (Participatiewet) het meest helpt om binnen 12 maanden betaald werk te vinden. " +
      `Het model schat per traject (${arms.join(", ")}) de kans op werk en het verschil met ${control}, met een onzekerheidsinterval en uitleg. ` +
      "Impact: de cliënt krijgt een traject dat beter bij de persoon past; het advies raakt geen uitkering, geen sanctie en geen fraudeonderzoek. " +
      `Niet bedoeld voor: ${card.notIntendedFor.length} toepassingen die in de modelkaart staan (o.a. sancties en het rangschikken van cliënten tegen elkaar).`,
    proportionality: PLACEHOLDER,
    human_intervention:
      "De klantmanager beslist altijd zelf. Het advies is een hulpmiddel: de klantmanager kan elk advies overrulen en legt dan de reden vast. " +
      "Elke beslissing en elke inzage van een cliënt wordt gelogd. Managers vergelijken periodiek de uitkomsten van gevolgde en niet-gevolgde adviezen. " +
      `Bezwaar en klachten: ${PLACEHOLDER} (de bezwaarprocedure van de gemeente tegen het besluit over het traject).`,
    risks: [
      disclosure,
      "Getallen over minder dan 10 personen worden niet getoond.",
      "Waar weinig vergelijkbare cliënten een traject kregen, wordt het advies gemarkeerd als zwak onderbouwd en nooit als eerste getoond.",
      auditOnly.length > 0
        ? `Herkomst en geslacht (${auditOnly.join(", ")}) zijn nooit invoer van het model; ze worden alleen gebruikt om eerlijkheid per groep te controleren.`
        : "Herkomst, nationaliteit en indrukken van klantmanagers zijn nooit invoer van het model.",
      "Een nieuwe modelversie wordt eerst vergeleken met het actieve model; in gebruik nemen en terugdraaien worden gelogd.",
    ].join(" "),
    lawful_basis: PLACEHOLDER,
    lawful_basis_grouping: [{ title: PLACEHOLDER, link: PLACEHOLDER }],
    process_index_url: PLACEHOLDER,
    impacttoetsen_grouping: [
      { title: "Data Protection Impact Assessment (DPIA)", link: PLACEHOLDER },
      { title: "Impact Assessment Mensenrechten en Algoritmes (IAMA)", link: PLACEHOLDER },
    ],
    impacttoetsen: `DPIA: ${PLACEHOLDER} (uitgevoerd op …, conclusie). IAMA: ${PLACEHOLDER} (uitgevoerd op …, conclusie, of waarom niet).`,
    source_data:
      `Gepseudonimiseerde, gekoppelde en gegeneraliseerde analysetabel (${card.data.table}, ${card.data.rows ?? "<10"} trajecten) ` +
      "uit gemeentelijke bestanden over huishouden, werkverleden, uitkeringen, opleiding en taal, schulden, zorg (Wmo) en medicatiegebruik (alleen grove ATC-groepen), en eerdere trajecten met hun uitkomst. " +
      `Gebruikte kenmerkgroepen: ${groups.join(", ")}. Niet gebruikt als kenmerk: ${notUsed.join(", ")}. ` +
      `Directe identificatoren (BSN, naam, adres, exacte geboortedatum) zitten niet in de data.${context.dataHash ? ` SHA-256 van de trainingstabel: ${context.dataHash}.` : ""}`,
    source_data_grouping: [],
    methods_and_models:
      `Zelflerend. ${kind === "network" ? `Neuraal netwerk met een gedeelde representatie en één uitkomstkop per traject plus een propensity-kop (TARNet/Dragonnet), ensemble van ${card.model.members} leden, per traject gekalibreerd` : ARCHITECTURE[kind].nl}. ` +
      "Het leert uit historische trajecten hoe de kans op werk samenhangt met kenmerken en traject, en schat zo wat er onder elk traject zou gebeuren. " +
      `Prestaties ${card.performance.split === "validation" ? "op de validatieset" : "kruisgeschat op alle trainingsrijen"}: ` +
      (card.model.outcome.type === "continuous"
        ? `wortel van de gemiddelde kwadratische fout ${num(overall.rmse)}. `
        : `AUC ${num(overall.auc)}, Brier-score ${num(overall.brier, 3)}, kalibratiefout ${num(overall.ece, 3)}. `) +
      `Modelversie ${card.version}.`,
    provider: PLACEHOLDER,
    publiccode: PLACEHOLDER,
    lang: "nld",
    standard_version: STANDARD_VERSION,
    source_id: card.version,
    tags: "re-integratie, Participatiewet, bijstand, werk, trajecten, klantmanager",
  };
}

/** The fields (dotted for links) that still hold PLACEHOLDER: what a person must fill in before publishing. */
export function fieldsToFill(entry: AlgorithmRegisterEntry): string[] {
  const open: string[] = [];
  for (const { key } of REGISTER_FIELDS) {
    const value = entry[key];
    if (typeof value === "string") {
      if (value.includes(PLACEHOLDER)) open.push(key);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === "string") return;
        for (const [part, text] of Object.entries(item)) if (text.includes(PLACEHOLDER)) open.push(`${key}.${i}.${part}`);
      });
    }
  }
  return open;
}

const render = (value: AlgorithmRegisterEntry[keyof AlgorithmRegisterEntry]): string => {
  if (typeof value === "string") return value || "—";
  if (value.length === 0) return "—";
  return value.map((item) => (typeof item === "string" ? `- ${item}` : `- ${item.title}: ${item.link}`)).join("\n");
};

export function algorithmRegisterMarkdown(entry: AlgorithmRegisterEntry): string {
  const toFill = new Set(fieldsToFill(entry).map((f) => f.split(".")[0]));
  const lines = [
    `# Algoritmeregister — ${entry.name}`,
    "",
    `Modelversie: \`${entry.source_id}\` · Algoritmeregister publicatiestandaard ${entry.standard_version}`,
    "",
    `Velden gemarkeerd met **(in te vullen)** bevatten „${PLACEHOLDER}”: een mens vult ze in vóór publicatie.`,
    "",
  ];
  for (const { key, label } of REGISTER_FIELDS) {
    lines.push(`## ${label} (\`${key}\`)${toFill.has(key) ? " **(in te vullen)**" : ""}`, "", render(entry[key]), "");
  }
  return lines.join("\n");
}
