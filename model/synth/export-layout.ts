import { INTERVENTIONS } from "../catalogue.js";
import type { CsvWriteOptions } from "../csv/index.js";
import { parseIsoDate } from "../link/derive.js";
import { DATE_COLUMNS, DELIVERY_FILES, type DeliveryFile, type ExtraFeatureFile, INTERVENTION_CODES, TRUTH_FILE } from "../link/format.js";
import { type DeliveryProfile, profileFiles } from "../link/profile.js";

/**
 * How the generator writes a delivery on disk. `ours` is the linker's own layout (comma, LF,
 * UTF-8, ISO dates). `dutch-export` is the same delivery as Dutch spreadsheet and case-management
 * systems export it: `;`, CRLF, Windows-1252, dates `dd-mm-jjjj`, decimal commas, and the name and
 * address columns such exports carry (which the linker must ignore). `rename` also gives files,
 * columns and codes (trajectories; J/N for yes/no) another municipality's names, described by a
 * delivery profile; `municipality: "b"` writes the second synthetic municipality (its own
 * trajectory keys and codes, its own names, one extra column), with its delivery profile.
 */
export const DELIVERY_FORMATS = ["ours", "dutch-export"] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];
export const PROFILE_FILE_NAME = "profile.json";

type LayoutFile = DeliveryFile | typeof TRUTH_FILE;

/** Another municipality's names for a delivery: files, columns, trajectory codes and extra columns. */
export type Naming = {
  files: Record<LayoutFile, string>;
  /** Their name per our column (columns not listed keep ours). */
  columns: Partial<Record<LayoutFile, Record<string, string>>>;
  /** Their trajectory code per our delivery code (REG → RB01). */
  trajectoryCodes: Record<string, string>;
  /** Their catalogue's key per our delivery code: what the profile maps their code onto. */
  trajectoryKeys: Record<string, string>;
  /** Their catalogue's keys in our arms' order: the truth file's columns are `mu_<key>`. */
  armKeys: readonly string[];
  contactColumns: readonly string[];
  /** Columns they deliver beyond ours (after our columns of a file), read as extra features; flags are written J/N. */
  extras: readonly { name: string; file: ExtraFeatureFile; column: string; flag: boolean }[];
};

export type ExportLayout = {
  fileName: (file: LayoutFile) => string;
  header: (file: LayoutFile) => string[];
  /** A row in our layout (our columns, ISO dates, our codes) as this layout writes it. */
  row: (file: LayoutFile, fields: readonly string[]) => string[];
  writeOptions: CsvWriteOptions;
  /** The delivery profile that maps this layout back onto ours; null for our own names. */
  profile: DeliveryProfile | null;
};

/** Another municipality's names for our files and columns (columns not listed keep our name). */
export const RENAMED_FILES: Record<LayoutFile, string> = {
  personen: "Clienten.csv",
  huishoudens: "Huishoudsamenstelling.csv",
  opleiding: "Opleiding_en_taal.csv",
  dienstverbanden: "Arbeidsverleden.csv",
  uitkeringen: "Uitkeringshistorie.csv",
  medicatie: "Medicatiegebruik.csv",
  schulden: "Schuldhulpverlening.csv",
  wmo: "Wmo_voorzieningen.csv",
  trajecten: "Re-integratietrajecten.csv",
  uitkomsten: "Resultaten.csv",
  truth: "truth.csv",
};
const RENAMED_COLUMNS: Partial<Record<LayoutFile, Record<string, string>>> = {
  personen: { bsn: "BSN", geboortedatum: "Geboortedatum", geslacht: "Geslacht", herkomst: "Migratieachtergrond", postcode: "Postcode" },
  huishoudens: { bsn: "BSN", huishouden: "Leefsituatie", aantal_kinderen: "Aantal kinderen", geboortejaar_jongste_kind: "Geboortejaar jongste kind" },
  opleiding: { bsn: "BSN", opleidingsniveau: "Hoogst genoten opleiding", taalniveau: "Taalniveau NT2" },
  dienstverbanden: { bsn: "BSN", begindatum: "Datum in dienst", einddatum: "Datum uit dienst", uren_per_week: "Uren per week", sector: "Sector (SBI)" },
  uitkeringen: { bsn: "BSN", begindatum: "Ingangsdatum", einddatum: "Einddatum", regeling: "Financiële regeling" },
  medicatie: { bsn: "BSN", jaar: "Jaar", atc: "ATC-code" },
  schulden: { bsn: "BSN", registratiedatum: "Aanmelddatum", einddatum: "Afsluitdatum", problematisch: "Problematische schulden" },
  wmo: { bsn: "BSN", voorziening: "Geïndiceerde voorziening", begindatum: "Begindatum indicatie", einddatum: "Einddatum indicatie" },
  trajecten: { bsn: "BSN", traject_id: "Trajectnummer", interventie: "Instrumentcode", startdatum: "Startdatum" },
  uitkomsten: {
    bsn: "BSN",
    traject_id: "Trajectnummer",
    werk_12m: "Werk binnen 12 mnd",
    uren_per_week: "Uren per week",
    uitstroom_12m: "Uitstroom binnen 12 mnd",
    wmo_12m: "Wmo na 12 mnd",
    schulden_12m: "Schulden na 12 mnd",
  },
};
/** Another municipality's instrument codes, per catalogue arm. */
export const RENAMED_INTERVENTION_CODES: Record<(typeof INTERVENTIONS)[number], string> = {
  regulier: "RB01",
  jobcoaching: "JC01",
  scholing: "SC01",
  werkervaringsplaats: "WE01",
  loonkostensubsidie: "LK01",
  schuldhulp: "SH01",
  participatieplek: "PP01",
  taaltraject: "TT01",
};
/** Yes/no columns, which case-management systems write as J/N. */
const FLAG_COLUMNS: Partial<Record<LayoutFile, readonly string[]>> = {
  schulden: ["problematisch"],
  uitkomsten: ["werk_12m", "uitstroom_12m", "wmo_12m", "schulden_12m"],
};
const THEIR_FLAG: Record<string, string> = { "1": "J", "0": "N" };

/** Columns a case-management export carries beside ours in the persons file: identifying, never read by the linker. */
const CONTACT_COLUMNS = ["naam", "straat", "woonplaats"];

/** The `--rename` naming: our catalogue, another municipality's names and codes. */
export const RENAMED: Naming = {
  files: RENAMED_FILES,
  columns: RENAMED_COLUMNS,
  trajectoryCodes: Object.fromEntries(Object.entries(INTERVENTION_CODES).map(([ours, arm]) => [ours, RENAMED_INTERVENTION_CODES[arm]])),
  trajectoryKeys: { ...INTERVENTION_CODES },
  armKeys: INTERVENTIONS,
  contactColumns: ["Naam", "Adres", "Woonplaats"],
  extras: [],
};
// Fictitious names with the accents Dutch files hold, all inside Windows-1252.
const FIRST_NAMES = ["Zoë", "Noël", "Chloë", "Anaïs", "Daniëlle", "René", "André", "Joëlle", "Loïs", "Ömer", "Sanne", "Pieter", "Aïcha", "Kees", "Inès", "Maël"];
const LAST_NAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "El Amrani", "Müller", "Çelik", "Öztürk", "Visser", "Smit", "Meijer", "de Boer", "Hoekstra", "Brouwer", "Dekker", "Coëlho"];
const STREETS = ["Kerkstraat", "Molenweg", "Curaçaostraat", "Ruïnelaan", "Reünielaan", "Dorpsstraat", "Poëzielaan", "Schoolstraat"];
const TOWNS = ["Sint-Oedenrode", "Súdwest-Fryslân", "'s-Hertogenbosch", "Utrecht", "Eijsden", "Zwolle", "Leeuwarden", "Tiel"];

/** A small deterministic hash of a bsn, so a duplicated row gets the same name (it is the same row). */
function pick<T>(list: readonly T[], bsn: string, salt: number): T {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < bsn.length; i += 1) h = Math.imul(h ^ bsn.charCodeAt(i), 0x01000193);
  return list[(h >>> 0) % list.length] as T;
}
function contactCells(bsn: string): string[] {
  return [
    `${pick(FIRST_NAMES, bsn, 1)} ${pick(LAST_NAMES, bsn, 2)}`,
    `${pick(STREETS, bsn, 3)} ${1 + ((Number(bsn.slice(-3)) || 0) % 180)}`,
    pick(TOWNS, bsn, 4),
  ];
}

/**
 * An ISO date as `dd-mm-jjjj`. The generator's deliberately malformed dates must stay malformed:
 * one already written day-first (a valid date in this layout) is written the ISO way instead.
 */
export function toDutchDate(value: string): string {
  if (value === "") return value;
  if (parseIsoDate(value) !== null) return `${value.slice(8, 10)}-${value.slice(5, 7)}-${value.slice(0, 4)}`;
  const dayFirst = /^(\d{2})-(\d{2})-(\d{4})$/.exec(value);
  return dayFirst ? `${dayFirst[3]}-${dayFirst[2]}-${dayFirst[1]}` : value;
}

export function exportLayout(options: { format: DeliveryFormat; rename: boolean; naming?: Naming }): ExportLayout {
  const dutch = options.format === "dutch-export";
  const naming = options.naming ?? (options.rename ? RENAMED : null);
  const ours = profileFiles(naming?.armKeys ?? INTERVENTIONS);
  const extrasOf = (file: LayoutFile) => (naming?.extras ?? []).filter((e) => e.file === file);
  const columnsOf = (file: LayoutFile): readonly string[] => [...(ours[file] as readonly string[]), ...extrasOf(file).map((e) => e.name)];
  const nameOf = (file: LayoutFile, column: string): string =>
    naming ? (naming.columns[file]?.[column] ?? naming.extras.find((e) => e.file === file && e.name === column)?.column ?? column) : column;
  const withContact = (file: LayoutFile): boolean => dutch && file === "personen";
  const dateAt = new Map<LayoutFile, number[]>();
  for (const file of Object.keys(ours) as LayoutFile[]) {
    dateAt.set(file, columnsOf(file).flatMap((c, i) => (DATE_COLUMNS.has(c) ? [i] : [])));
  }
  const interventieAt = DELIVERY_FILES.trajecten.indexOf("interventie");
  const flagColumns = (file: LayoutFile): string[] => [...(FLAG_COLUMNS[file] ?? []), ...extrasOf(file).flatMap((e) => (e.flag ? [e.name] : []))];
  const flagAt = new Map<LayoutFile, number[]>((Object.keys(ours) as LayoutFile[]).map((f) => [f, flagColumns(f).map((c) => columnsOf(f).indexOf(c))]));

  const header = (file: LayoutFile): string[] => {
    const names = columnsOf(file).map((c) => nameOf(file, c));
    if (withContact(file)) names.splice(1, 0, ...(naming ? naming.contactColumns : CONTACT_COLUMNS));
    return names;
  };
  const row = (file: LayoutFile, fields: readonly string[]): string[] => {
    const out = fields.slice();
    if (dutch) {
      for (const i of dateAt.get(file) ?? []) if (i < out.length) out[i] = toDutchDate(out[i] as string);
      if (file === TRUTH_FILE) for (let i = 1; i < out.length; i += 1) out[i] = (out[i] as string).replace(".", ",");
    }
    if (naming && file === "trajecten" && interventieAt < out.length) {
      out[interventieAt] = naming.trajectoryCodes[out[interventieAt] as string] ?? (out[interventieAt] as string);
    }
    if (naming) for (const i of flagAt.get(file) ?? []) if (i < out.length) out[i] = THEIR_FLAG[out[i] as string] ?? (out[i] as string);
    if (withContact(file)) out.splice(1, 0, ...contactCells(fields[0] ?? ""));
    return out;
  };

  let profile: DeliveryProfile | null = null;
  if (naming) {
    const files: NonNullable<DeliveryProfile["files"]> = {};
    for (const file of Object.keys(ours) as LayoutFile[]) {
      const columns = Object.fromEntries((ours[file] as readonly string[]).flatMap((c) => (nameOf(file, c) !== c ? [[c, nameOf(file, c)]] : [])));
      files[file] = {
        path: naming.files[file],
        ...(Object.keys(columns).length > 0 ? { columns } : {}),
        ...(dutch ? { delimiter: ";" as const, encoding: "windows-1252" as const, dateFormat: "dd-mm-yyyy" as const } : {}),
      };
    }
    const codes: NonNullable<DeliveryProfile["codes"]> = {
      interventie: Object.fromEntries(Object.entries(naming.trajectoryCodes).map(([code, theirs]) => [theirs, naming.trajectoryKeys[code] as string])),
    };
    for (const column of Object.values(FLAG_COLUMNS).flat()) codes[column] = { J: "1", N: "0" };
    for (const e of naming.extras) if (e.flag) codes[e.name] = { J: "1", N: "0" };
    profile = {
      files,
      codes,
      ...(naming.extras.length > 0 ? { features: Object.fromEntries(naming.extras.map((e) => [e.name, { file: e.file, column: e.column }])) } : {}),
    };
  }
  return {
    fileName: (file) => (naming ? naming.files[file] : `${file}.csv`),
    header,
    row,
    writeOptions: dutch ? { delimiter: ";", lineEnding: "\r\n", encoding: "windows-1252" } : {},
    profile,
  };
}
