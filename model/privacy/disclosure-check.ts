import { readdir, readFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { CATALOGUE_FILE } from "../bundle/bundle.js";
import { parseCsvRecord } from "../csv/index.js";
import { MIN_CELL } from "../bundle/reference.js";
import { MAX_TREES } from "../learners/trees.js";
import { CatalogueSchema } from "../config/municipality.js";
import { TableSchemaSchema } from "../table-schema.js";

/**
 * Static disclosure checks on a bundle directory (part of `check-bundle`):
 *   record-level-data  no file holds rows of the training table
 *   small-counts       every count covers at least MIN_CELL (10) people
 *   raw-extremes       spreads as percentiles, never raw minima / maxima
 *   identifiers        no identifier-like column and no identifier-like value
 * Each finding names the file, the JSON path (or line) and the reason, never the offending value:
 * a JSON key that itself looks like an identifier is shown as `[key #i]`.
 * A table schema (schema.json, a baseline's copy) and the catalogue (catalogue.json) are
 * declarations: their keys are the format's vocabulary, so a column that happens to be called
 * `id`, `name` or `type` does not make them look like records. Their values are checked as usual.
 */
export const DISCLOSURE_REPORT_FILE = "disclosure-report.json";

export type StaticCheckName = "record-level-data" | "small-counts" | "raw-extremes" | "identifiers";
export type Finding = { file: string; path: string; reason: string };
export type StaticCheck = { name: StaticCheckName; passed: boolean; findings: Finding[] };

export const STATIC_CHECKS: readonly StaticCheckName[] = ["record-level-data", "small-counts", "raw-extremes", "identifiers"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys holding a count of people: their integer values must be 0 or ≥ MIN_CELL … and 0 is a group under 10 too. */
const COUNT_KEY = /^(n|count|counts|rows|rowcount|size|people|persons|clients|cli[eë]nten|personen|aantal|support|cases|frequency|freq|total|nmembers|nnonmembers|nonmembers)$/i;
/** Containers whose every number is a count (file → path pattern). */
const COUNT_CONTAINERS: { file: string; path: RegExp }[] = [
  { file: "reference.json", path: /^\$\.arms\.[^.]+$/ },
  { file: "reference.json", path: /^\$\.cells\.[^.]+\.[^.]+$/ },
  { file: "model-card.json", path: /^\$\.data\.rowsPerArm\.[^.]+$/ },
];
const EXTREME_KEY = /^(min|max|minimum|maximum)([_-]?(value|val|waarde))?$/i;
const EXTREME_PREFIX = /^(min|max|minimum|maximum)[_-]?(.+)$/i;
const EXTREME_SUFFIX = /^(.+?)[_-]?(min|max|minimum|maximum)$/i;
/** Key names whose 64-hex value is a checksum of a file, not a pseudonym. */
const CHECKSUM_KEY = /^(sha256|sha-256|hash|checksum|datahash|trainingdatasha256|trainsha256|holdoutsha256)$/i;

/** Direct identifiers as column names (whole name or one `_`-separated part of it). */
const DIRECT_ID_PART =
  /^(bsn|burgerservicenummer|sofinummer|naam|voornaam|voornamen|achternaam|geslachtsnaam|name|firstname|lastname|surname|adres|address|straat|straatnaam|street|huisnummer|postcode|postal|zip|zipcode|woonplaats|geboortedatum|geboortedag|birth|birthdate|birthday|dateofbirth|dob|telefoon|telefoonnummer|phone|email|iban)$/i;
const DIRECT_ID_SUBSTRING = /(bsn|geboorte|birth|postcode|adres|address)/i;
/** Record identifiers (pseudonyms, person or client numbers): allowed only as the schema's declared row id. */
const RECORD_ID_PART = /^(id|pseudonym|pseudoniem|pseudo|persoonsnummer|klantnummer|dossiernummer|cliëntnummer|clientnummer|anummer|rin)$/i;
const RECORD_ID_CAMEL = /^[a-z]+Id$/;

function isIdentifierName(name: string): { direct: boolean; record: boolean } {
  const parts = name.split(/[_\-\s.]+/).filter(Boolean);
  const direct = DIRECT_ID_SUBSTRING.test(name) || parts.some((p) => DIRECT_ID_PART.test(p)) || DIRECT_ID_PART.test(name.replace(/[_\-\s]/g, ""));
  const record = parts.some((p) => RECORD_ID_PART.test(p)) || RECORD_ID_CAMEL.test(name);
  return { direct, record };
}

/** Dutch BSN check (elfproef): 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), not all zeros. */
export function isElfproef(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

const BSN_CANDIDATE = /(?<![0-9A-Za-z.])\d{9}(?![0-9A-Za-z])(?!\.\d)/g;
const HEX64 = /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/;
const POSTCODE = /(?<![0-9A-Za-z])[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?![0-9A-Za-z])/;
/** An ISO calendar date that is not part of a timestamp (a timestamp is followed by `T` and a time). */
const ISO_DATE = /(?<![0-9])(18|19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![0-9]|T\d)/;

/** Reasons a text holds an identifier-like value (the value itself is never returned). */
export function identifierValueReasons(text: string, options: { checksum?: boolean } = {}): string[] {
  const reasons: string[] = [];
  for (const match of text.matchAll(BSN_CANDIDATE)) {
    if (isElfproef(match[0])) {
      reasons.push("a 9-digit number that passes the BSN elfproef");
      break;
    }
  }
  if (!options.checksum && HEX64.test(text)) reasons.push("a 64-hex string (looks like a pseudonym)");
  if (POSTCODE.test(text)) reasons.push("a Dutch postcode");
  if (ISO_DATE.test(text)) reasons.push("an ISO calendar date (possible birth date)");
  return reasons;
}

const looksIdentifying = (text: string): boolean => identifierValueReasons(text).length > 0;

function jsonPath(segments: readonly (string | number)[]): string {
  let out = "$";
  let keyIndex = 0;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else {
      keyIndex++;
      out += looksIdentifying(s) || /[\s"]/.test(s) ? `[key #${keyIndex}]` : `.${s}`;
    }
  }
  return out;
}

const isPrimitive = (v: Json): boolean => v === null || typeof v !== "object";

type Context = {
  columns: Set<string>;
  declaredId: string | null;
  arrayLimit: number;
  findings: Map<StaticCheckName, Finding[]>;
};

function add(ctx: Context, check: StaticCheckName, file: string, path: string, reason: string): void {
  ctx.findings.get(check)?.push({ file, path, reason });
}

function columnNameFindings(ctx: Context, file: string, path: string, name: string, role: string): void {
  const { direct, record } = isIdentifierName(name);
  if (direct) add(ctx, "identifiers", file, path, `${role} has an identifier-like name (direct identifier)`);
  else if (record && name !== ctx.declaredId) add(ctx, "identifiers", file, path, `${role} has an identifier-like name (record id or pseudonym)`);
  else if (record && name === ctx.declaredId && role !== "declared row id" && role !== "column listed as not used") {
    add(ctx, "identifiers", file, path, `${role} is the row id (pseudonym); it must never be a feature or be summarised`);
  }
}

/** JSON with object keys sorted, to compare a value with what its schema kept of it. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/**
 * A table schema or the catalogue, and nothing else: the catalogue's objects are strict, and a
 * table schema must survive its zod schema unchanged (no extra key that could carry rows).
 */
function isDeclaration(file: string, value: Json, segments: readonly (string | number)[]): boolean {
  if (file === CATALOGUE_FILE && segments.length === 0) return CatalogueSchema.safeParse(value).success;
  const schema = TableSchemaSchema.safeParse(value);
  return schema.success && canonical(schema.data) === canonical(value);
}

/** Walks one parsed JSON file and records findings of all four checks. */
function walkJson(ctx: Context, file: string, root: Json): void {
  const recordKeysNeeded = Math.max(1, Math.min(3, ctx.columns.size));
  const visit = (value: Json, segments: (string | number)[], key: string | null, declared = false): void => {
    const path = jsonPath(segments);
    if (typeof value === "string") {
      const reasons = identifierValueReasons(value, { checksum: key !== null && CHECKSUM_KEY.test(key) });
      for (const r of reasons) add(ctx, "identifiers", file, path, `value is ${r}`);
      return;
    }
    if (typeof value === "number") {
      if (Number.isInteger(value) && isElfproef(String(Math.abs(value)))) {
        add(ctx, "identifiers", file, path, "value is a 9-digit number that passes the BSN elfproef");
      }
      const isCount =
        (key !== null && COUNT_KEY.test(key)) || COUNT_CONTAINERS.some((c) => c.file === file && c.path.test(path));
      if (isCount && Number.isInteger(value) && value >= 0 && value < MIN_CELL) {
        add(ctx, "small-counts", file, path, `a count of fewer than ${MIN_CELL} people`);
      }
      if (key !== null) {
        const prefix = EXTREME_PREFIX.exec(key);
        const suffix = EXTREME_SUFFIX.exec(key);
        const aboutColumn =
          (prefix?.[2] !== undefined && ctx.columns.has(prefix[2].replace(/^[_-]/, ""))) ||
          (suffix?.[1] !== undefined && ctx.columns.has(suffix[1]));
        if (EXTREME_KEY.test(key) || aboutColumn) {
          add(ctx, "raw-extremes", file, path, "a raw minimum or maximum (one person's value); use percentiles");
        }
      }
      return;
    }
    if (value === null || typeof value === "boolean") return;
    if (Array.isArray(value)) {
      if (value.length > ctx.arrayLimit) {
        add(ctx, "record-level-data", file, path, `an array of ${value.length} values, more than the ${ctx.arrayLimit} an aggregate needs (per-row data?)`);
      }
      value.forEach((v, i) => {
        visit(v, [...segments, i], key, declared);
      });
      return;
    }
    const keys = Object.keys(value);
    const inDeclaration = declared || isDeclaration(file, value, segments);
    const columnKeys = keys.filter((k) => ctx.columns.has(k) && isPrimitive(value[k] as Json));
    if (!inDeclaration && columnKeys.length >= recordKeysNeeded) {
      add(ctx, "record-level-data", file, path, `an object with ${columnKeys.length} table columns as keys holding single values (looks like a record)`);
    }
    if (!inDeclaration && ctx.declaredId !== null && keys.includes(ctx.declaredId)) {
      add(ctx, "record-level-data", file, path, "an object keyed by the row id column (looks like a record)");
    }
    keys.forEach((k, i) => {
      // Keys are values too (e.g. a cell key): check them, but never print them.
      for (const r of identifierValueReasons(k)) add(ctx, "identifiers", file, `${path}[key #${i + 1}]`, `key is ${r}`);
      if (ctx.columns.has(k) || file !== "manifest.json") {
        const { direct } = isIdentifierName(k);
        if (direct && !/^(name)$/i.test(k)) add(ctx, "identifiers", file, `${path}[key #${i + 1}]`, "key has an identifier-like name (direct identifier)");
      }
      visit(value[k] as Json, [...segments, k], k, inDeclaration);
    });
  };
  visit(root, [], null);
}

const asObject = (v: Json | undefined): { [key: string]: Json } | null => (v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) ? v : null);
const asArray = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const asString = (v: Json | undefined): string | null => (typeof v === "string" ? v : null);

/** Column names the bundle mentions, with their role, from the schema, encoder, reference and model card. */
function collectColumns(parsed: Map<string, Json>): { columns: Set<string>; declaredId: string | null; mentions: { file: string; path: string; name: string; role: string }[] } {
  const columns = new Set<string>();
  const mentions: { file: string; path: string; name: string; role: string }[] = [];
  const mention = (file: string, path: string, name: string | null, role: string) => {
    if (name === null) return;
    columns.add(name);
    mentions.push({ file, path, name, role });
  };
  const schema = asObject(parsed.get("schema.json"));
  const declaredId = asString(schema?.id);
  if (schema) {
    mention("schema.json", "$.id", declaredId, "declared row id");
    mention("schema.json", "$.treatment.column", asString(asObject(schema.treatment)?.column), "treatment column");
    mention("schema.json", "$.outcome.column", asString(asObject(schema.outcome)?.column), "outcome column");
    asArray(schema.features).forEach((f, i) => {
      mention("schema.json", `$.features[${i}].name`, asString(asObject(f)?.name), "feature");
    });
    asArray(schema.audit).forEach((a, i) => {
      mention("schema.json", `$.audit[${i}]`, asString(a), "audit column");
    });
    for (const [arm, col] of Object.entries(asObject(schema.truth) ?? {})) mention("schema.json", `$.truth.${arm}`, asString(col), "truth column");
  }
  asArray(asObject(parsed.get("encoder.json"))?.features).forEach((f, i) => {
    mention("encoder.json", `$.features[${i}].name`, asString(asObject(f)?.name), "encoded feature");
  });
  const reference = asObject(parsed.get("reference.json"));
  if (reference) {
    asArray(reference.cellFeatures).forEach((c, i) => {
      mention("reference.json", `$.cellFeatures[${i}]`, asString(c), "cell feature of the reference counts");
    });
    for (const [arm, perFeature] of Object.entries(asObject(reference.percentiles) ?? {})) {
      Object.keys(asObject(perFeature) ?? {}).forEach((name, i) => {
        mention("reference.json", `$.percentiles.${arm}[key #${i + 1}]`, name, "summarised column");
      });
    }
    Object.keys(asObject(reference.distributions) ?? {}).forEach((name, i) => {
      mention("reference.json", `$.distributions[key #${i + 1}]`, name, "summarised column");
    });
  }
  asArray(asObject(parsed.get(CATALOGUE_FILE))?.features).forEach((f, i) => {
    mention(CATALOGUE_FILE, `$.features[${i}].name`, asString(asObject(f)?.name), "feature");
  });
  const card = asObject(parsed.get("model-card.json"));
  if (card) {
    asArray(card.featuresUsed).forEach((f, i) => {
      mention("model-card.json", `$.featuresUsed[${i}].name`, asString(asObject(f)?.name), "feature");
    });
    asArray(card.featuresNotUsed).forEach((f, i) => {
      mention("model-card.json", `$.featuresNotUsed[${i}].name`, asString(asObject(f)?.name), "column listed as not used");
    });
    for (const column of Object.keys(asObject(asObject(card.performance)?.perGroup) ?? {})) {
      mention("model-card.json", "$.performance.perGroup", column, "audit column");
    }
  }
  return { columns, declaredId, mentions };
}

/** Structural checks of the known files: the encoder holds levels/means/scales only; reference counts and bins. */
function structuralChecks(ctx: Context, parsed: Map<string, Json>, bytes: Map<string, Uint8Array>): void {
  const encoder = asObject(parsed.get("encoder.json"));
  if (encoder) {
    const allowedTop = new Set(["features", "width", "columnNames", "columnFeature", "baseline"]);
    const allowedFeature = new Set(["name", "type", "group", "mean", "scale", "column", "flagColumn", "levels"]);
    for (const k of Object.keys(encoder)) {
      if (!allowedTop.has(k)) add(ctx, "record-level-data", "encoder.json", jsonPath([k]), "the encoder may hold levels, means and scales only");
    }
    const width = encoder.width;
    for (const k of ["columnNames", "columnFeature", "baseline"]) {
      const a = encoder[k];
      if (Array.isArray(a) && a.length !== width) add(ctx, "record-level-data", "encoder.json", jsonPath([k]), "length differs from the encoded width");
    }
    asArray(encoder.features).forEach((f, i) => {
      for (const k of Object.keys(asObject(f) ?? {})) {
        if (!allowedFeature.has(k)) add(ctx, "record-level-data", "encoder.json", jsonPath(["features", i, k]), "the encoder may hold levels, means and scales only");
      }
    });
  }
  const reference = asObject(parsed.get("reference.json"));
  if (reference) {
    const rows = reference.rows;
    if (typeof rows === "number" && rows < MIN_CELL) add(ctx, "small-counts", "reference.json", "$.rows", `a count of fewer than ${MIN_CELL} people`);
    const arms = asObject(reference.arms) ?? {};
    for (const [arm, mean] of Object.entries(asObject(reference.outcomeMean) ?? {})) {
      if (mean !== null && (arms[arm] === null || arms[arm] === undefined)) {
        add(ctx, "small-counts", "reference.json", jsonPath(["outcomeMean", arm]), `a mean outcome shown for an arm of fewer than ${MIN_CELL} people`);
      }
    }
    if (typeof rows === "number") {
      for (const [feature, dist] of Object.entries(asObject(reference.distributions) ?? {})) {
        asArray(asObject(dist)?.bins).forEach((bin, i) => {
          const share = asObject(bin)?.share;
          // Each bin covers ≥ MIN_CELL of the rows that have a value; never more people than rows.
          if (typeof share === "number" && share * rows < MIN_CELL - 1e-6 && share > 0) {
            add(ctx, "small-counts", "reference.json", `${jsonPath(["distributions", feature, "bins", i])}`, `a distribution bin of fewer than ${MIN_CELL} people`);
          }
        });
      }
    }
  }
  const catalogue = parsed.get(CATALOGUE_FILE);
  if (catalogue !== undefined) {
    const check = CatalogueSchema.safeParse(catalogue);
    if (!check.success) {
      const issue = check.error.issues[0];
      add(ctx, "record-level-data", CATALOGUE_FILE, jsonPath(issue?.path.filter((s) => typeof s !== "symbol") ?? []), "the catalogue may hold labels and rules only (not a valid catalogue)");
    }
  }
  const model = asObject(parsed.get("model.json"));
  const weights = bytes.get("weights.bin");
  if (model && weights) {
    let floats = 0;
    for (const m of asArray(model.members)) {
      for (const spec of asArray(asObject(m)?.weightSpecs)) {
        floats += asArray(asObject(spec)?.shape).reduce<number>((p, s) => p * (typeof s === "number" ? s : 0), 1);
      }
    }
    if (weights.byteLength !== floats * 4) add(ctx, "record-level-data", "weights.bin", "(file)", "holds more or fewer bytes than the weights model.json describes");
  }
}

/** Counts the cells of the reference statistics: an aggregate never needs an array much longer than that. */
function arrayLimitOf(parsed: Map<string, Json>): number {
  const reference = asObject(parsed.get("reference.json"));
  const cells = Object.keys(asObject(reference?.cells) ?? {}).length;
  const arms = Object.keys(asObject(reference?.arms) ?? {}).length;
  const width = asObject(parsed.get("encoder.json"))?.width;
  return Math.max(64, cells * Math.max(arms, 1), typeof width === "number" ? width : 0, learnerCoefficients(parsed));
}

/**
 * A linear or DR learner's coefficient vectors (learner.json, also as parts of a stack) are as long as its basis (the encoded
 * columns plus spline terms) plus one shift per arm: model coefficients, not rows. The basis is read
 * from the file itself, so a longer array than it describes is still flagged. A DR learner with
 * boosted trees holds up to MAX_TREES trees per arm (each a few nodes: a split and two leaves).
 */
function learnerCoefficients(parsed: Map<string, Json>): number {
  const state = asObject(asObject(parsed.get("learner.json"))?.state);
  // A stack holds its parts' states, each with its own basis.
  const states = [state, ...asArray(state?.parts).map((part) => asObject(asObject(part)?.state))];
  return Math.max(
    0,
    ...states.map((s) => {
      const basis = asObject(s?.basis);
      const width = basis?.width;
      if (typeof width !== "number") return 0;
      const knots = asArray(basis?.splines).reduce<number>((sum, sp) => sum + asArray(asObject(sp)?.knots).length, 0);
      return Math.max(width + knots + asArray(s?.arms).length, s?.kind === "dr-trees" ? MAX_TREES : 0);
    }),
  );
}

const TEXT_DECODER = new TextDecoder("utf-8", { fatal: true });

function decodeText(data: Uint8Array): string | null {
  if (data.includes(0)) return null;
  try {
    return TEXT_DECODER.decode(data);
  } catch {
    return null;
  }
}

/** A text that is not JSON and whose lines share one delimiter count ≥ 2: a delimited table. */
function looksDelimited(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("|"));
  if (lines.length < MIN_CELL) return false;
  return [",", ";", "\t"].some((d) => {
    const counts = lines.map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    return first >= 2 && counts.filter((c) => c === first).length >= 0.9 * lines.length;
  });
}

async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * Runs the four static checks on every file in the bundle directory (listed in the manifest or not),
 * except an earlier disclosure report, which `check-bundle` replaces.
 */
export async function checkBundleFiles(dir: string): Promise<StaticCheck[]> {
  return checkFiles(dir, "bundle");
}

/**
 * The same four static checks on a "what works for whom" report directory (report.json, report.html,
 * CSV files). A report's CSV files are aggregates by design: each is read as a list of records keyed
 * by its header (numbers with decimal commas as numbers) and checked like JSON, so a count under 10
 * (`n`), an identifier or a raw extreme in it is found; its longest list may be as long as the
 * report's declared outcomes × trajectories × (1 + subgroup cells).
 */
export async function checkReportFiles(dir: string): Promise<StaticCheck[]> {
  return checkFiles(dir, "report");
}

/** A `;`- or `,`-separated CSV file as a list of records keyed by its header. */
function csvRecords(text: string): Json {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const delimiter = (lines[0] ?? "").includes(";") ? ";" : ",";
  const header = parseCsvRecord(lines[0] ?? "", delimiter) ?? [];
  return lines.slice(1).map((line) => {
    const fields = parseCsvRecord(line, delimiter) ?? [line];
    return Object.fromEntries(
      header.map((h, i) => {
        const v = fields[i] ?? "";
        const number = /^-?\d+([.,]\d+)?$/.test(v) ? Number(v.replace(",", ".")) : null;
        return [h, number ?? v];
      }),
    );
  });
}

/** The longest list a report needs: outcomes × trajectories × (1 + subgroup cells), from its own declaration. */
function reportArrayLimit(parsed: Map<string, Json>): number {
  const report = asObject(parsed.get("report.json"));
  if (!report) return 0;
  const cells = asArray(report.subgroups).reduce<number>((sum, s) => sum + asArray(asObject(s)?.values).length, 0);
  return asArray(report.outcomes).length * asArray(report.arms).length * (1 + cells);
}

async function checkFiles(dir: string, kind: "bundle" | "report"): Promise<StaticCheck[]> {
  const root = resolve(dir);
  const names = (await listFiles(root)).filter((n) => n !== DISCLOSURE_REPORT_FILE);
  const bytes = new Map<string, Uint8Array>();
  for (const name of names) bytes.set(name, new Uint8Array(await readFile(join(root, name))));
  const texts = new Map<string, string>();
  const parsed = new Map<string, Json>();
  const findings = new Map<StaticCheckName, Finding[]>(STATIC_CHECKS.map((c) => [c, []]));
  const early: Finding[] = [];
  for (const [name, data] of bytes) {
    if (name === "weights.bin") continue;
    const text = decodeText(data);
    if (text === null) {
      early.push({ file: name, path: "(file)", reason: "a binary file other than the weights: cannot be shown to hold aggregates only" });
      continue;
    }
    texts.set(name, text);
    const ext = extname(name).toLowerCase();
    if (kind === "report" && ext === ".csv") {
      parsed.set(name, csvRecords(text));
      continue;
    }
    if (ext === ".csv" || ext === ".tsv") {
      early.push({ file: name, path: "(file)", reason: "a CSV/TSV file (record-level data is never part of a bundle)" });
      continue;
    }
    if (ext === ".json") {
      try {
        parsed.set(name, JSON.parse(text) as Json);
      } catch {
        early.push({ file: name, path: "(file)", reason: "not valid JSON, so it cannot be checked" });
      }
    } else if (looksDelimited(text)) {
      early.push({ file: name, path: "(file)", reason: "looks like a delimited table (rows of values)" });
    }
  }
  const { columns, declaredId, mentions } = collectColumns(parsed);
  const ctx: Context = { columns, declaredId, arrayLimit: Math.max(arrayLimitOf(parsed), kind === "report" ? reportArrayLimit(parsed) : 0), findings };
  findings.get("record-level-data")?.push(...early);
  const seen = new Set<string>();
  for (const m of mentions) {
    const key = `${m.file}\u0000${m.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    columnNameFindings(ctx, m.file, m.path, m.name, m.role);
  }
  if (declaredId !== null && isIdentifierName(declaredId).direct) {
    add(ctx, "identifiers", "schema.json", "$.id", "the row id is a direct identifier; it must be a keyed pseudonym");
  }
  for (const [name, value] of parsed) walkJson(ctx, name, value);
  structuralChecks(ctx, parsed, bytes);
  for (const [name, text] of texts) {
    if (parsed.has(name)) continue;
    text.split(/\r?\n/).forEach((line, i) => {
      for (const r of identifierValueReasons(line)) add(ctx, "identifiers", name, `line ${i + 1}`, `text holds ${r}`);
    });
  }
  return STATIC_CHECKS.map((name) => {
    const list = dedupe(findings.get(name) ?? []);
    return { name, passed: list.length === 0, findings: list };
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\u0000${f.path}\u0000${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
