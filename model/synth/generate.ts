import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { INTERVENTIONS } from "../catalogue.js";
import { CsvWriter } from "../csv/index.js";
import { DELIVERY_FILE_NAMES, DELIVERY_FILES, type DeliveryFile, TRUTH_FILE } from "../link/format.js";
import { type DeliveryFormat, exportLayout, PROFILE_FILE_NAME, RENAMED_FILES } from "./export-layout.js";
import { GEMEENTE_B_NAMING } from "./municipality-b.js";
import { Rng } from "../random.js";
import { fakeBsn, type SimPerson, simulatePerson } from "./scm.js";

export type GenerateOptions = {
  outDir: string;
  n: number;
  seed: number;
  clean: boolean;
  /** How the files are written: our layout (default) or a Dutch spreadsheet export of the same delivery. */
  format?: DeliveryFormat;
  /** Also give files, columns and trajectory codes another municipality's names, and write the matching delivery profile. */
  rename?: boolean;
  /**
   * `b`: the second synthetic municipality (config/examples/gemeente-b.json): its trajectory
   * codes and keys, its file and column names, its extra variable (a driving licence) and its
   * delivery profile. The same persons as without it, apart from the licence's effect on work.
   */
  municipality?: Municipality;
  onProgress?: (done: number, total: number) => void;
};

/** Kinds of messiness the generator injects (each has a matching quarantine reason in the linker). */
export const MESS_KINDS = [
  "missing",
  "duplicate",
  "conflicting_duplicate",
  "unknown_code",
  "invalid_date",
  "field_count",
  "invalid_bsn",
] as const;
export type MessKind = (typeof MESS_KINDS)[number];

/** Synthetic municipalities other than the default one. */
export const MUNICIPALITIES = ["b"] as const;
export type Municipality = (typeof MUNICIPALITIES)[number];

export type DeliveryManifest = {
  generator: "trajectwijzer-synth";
  version: 1;
  seed: number;
  n: number;
  clean: boolean;
  format: DeliveryFormat;
  renamed: boolean;
  /** The synthetic municipality written (absent: the default one). */
  municipality?: Municipality;
  /** The delivery profile written beside the files (renamed deliveries only). */
  profile: string | null;
  rows: Record<string, number>;
  /** Per file, how many rows (or persons, for `missing`) got each kind of messiness. */
  injected: Record<string, Partial<Record<MessKind, number>>>;
  summary: {
    werkRate: number;
    armShares: Record<string, number>;
    /** Mean true chance of work under each arm over all persons. */
    meanMu: Record<string, number>;
  };
};

/** Per file: indices of date columns and code columns (for messiness). */
const DATE_COLUMNS: Record<DeliveryFile, number[]> = {
  personen: [1],
  huishoudens: [],
  opleiding: [],
  dienstverbanden: [1, 2],
  uitkeringen: [1, 2],
  medicatie: [],
  schulden: [1, 2],
  wmo: [2, 3],
  trajecten: [3],
  uitkomsten: [],
};
const CODE_COLUMNS: Record<DeliveryFile, number[]> = {
  personen: [2, 3],
  huishoudens: [1],
  opleiding: [1, 2],
  dienstverbanden: [4],
  uitkeringen: [3],
  medicatie: [2],
  schulden: [],
  wmo: [1],
  trajecten: [2],
  uitkomsten: [],
};
/** Files with one row per person: a person can be missing from them, and a second row conflicts. */
const PERSON_FILES: DeliveryFile[] = ["personen", "huishoudens", "opleiding", "uitkomsten"];
const P_MISSING = 0.008;
const P_NO_TRAJECTORY = 0.01;
const P_DUPLICATE = 0.005;
const P_CONFLICT = 0.002;
const P_UNKNOWN_CODE = 0.004;
const P_BAD_DATE = 0.004;
const P_FIELD_COUNT = 0.0008;
const P_INVALID_BSN = 0.0005;
const UNKNOWN_CODES = ["ONB", "99", "X", "?"];

function malformDate(rng: Rng, iso: string): string {
  const [y, m, d] = iso.split("-");
  switch (rng.int(0, 4)) {
    case 0:
      return `${d}-${m}-${y}`;
    case 1:
      return `${y}/${m}/${d}`;
    case 2:
      return `${y}-13-${d}`;
    case 3:
      return `${y}-02-30`;
    default:
      return `${y}${m}${d}`;
  }
}

function breakBsn(bsn: string): string {
  const last = Number(bsn[8]);
  return `${bsn.slice(0, 8)}${(last + 1) % 10}`;
}

/**
 * Writes a synthetic municipal delivery: one CSV per source file, `truth.csv` and `delivery.json`.
 * Streams: memory does not grow with n beyond the set of issued BSNs.
 */
export async function generateDelivery(options: GenerateOptions): Promise<DeliveryManifest> {
  const { outDir, n, seed, clean } = options;
  const format = options.format ?? "ours";
  const renamed = options.rename ?? false;
  const { municipality } = options;
  if (municipality !== undefined && renamed) throw new Error("municipality b has its own names: leave out rename");
  const naming = municipality === "b" ? GEMEENTE_B_NAMING : undefined;
  const layout = exportLayout({ format, rename: renamed, ...(naming ? { naming } : {}) });
  // The catalogue's keys, in our arms' order (what the summary reports).
  const armKeys = naming?.armKeys ?? INTERVENTIONS;
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, got ${n}`);
  await mkdir(outDir, { recursive: true });
  // A previous delivery in the same folder must not survive half-overwritten: delivery.json is written last.
  for (const name of [...DELIVERY_FILE_NAMES, TRUTH_FILE] as (DeliveryFile | typeof TRUTH_FILE)[]) {
    await rm(join(outDir, `${name}.csv`), { force: true });
    await rm(join(outDir, RENAMED_FILES[name]), { force: true });
    await rm(join(outDir, GEMEENTE_B_NAMING.files[name]), { force: true });
  }
  await rm(join(outDir, PROFILE_FILE_NAME), { force: true });
  await rm(join(outDir, "delivery.json"), { force: true });
  const rng = new Rng(seed, 0);
  const mess = new Rng(seed, 1);
  const ids = new Rng(seed, 2);
  // B's extra variable has a stream of its own: the persons stay those of the same seed.
  const licence = naming && naming.extras.length > 0 ? new Rng(seed, 3) : undefined;
  const writers = {} as Record<DeliveryFile, CsvWriter>;
  const injected: Record<string, Partial<Record<MessKind, number>>> = {};
  const count = (file: string, kind: MessKind): void => {
    const m = injected[file] ?? {};
    m[kind] = (m[kind] ?? 0) + 1;
    injected[file] = m;
  };
  const open = (file: DeliveryFile | typeof TRUTH_FILE): Promise<CsvWriter> =>
    CsvWriter.open(join(outDir, layout.fileName(file)), layout.header(file), layout.writeOptions);
  for (const file of DELIVERY_FILE_NAMES) writers[file] = await open(file);
  const truth = await open(TRUTH_FILE);
  const all = [...Object.values(writers), truth];

  const emit = (file: DeliveryFile, row: string[]): void => {
    // Rows are made (and made messy) in our layout; the layout writes them its own way, so every
    // layout of one seed holds the same delivery.
    const writer = { write: (fields: string[]) => writers[file].write(layout.row(file, fields)) };
    if (clean) {
      writer.write(row);
      return;
    }
    const r = mess.next();
    let out = row;
    let corrupted = true;
    const dates = DATE_COLUMNS[file].filter((i) => row[i] !== "");
    // An extra column (after ours) can hold an unknown code too.
    const codes = row.length > DELIVERY_FILES[file].length ? [...CODE_COLUMNS[file], DELIVERY_FILES[file].length] : CODE_COLUMNS[file];
    if (r < P_INVALID_BSN) {
      out = [breakBsn(row[0] as string), ...row.slice(1)];
      count(file, "invalid_bsn");
    } else if (r < P_INVALID_BSN + P_FIELD_COUNT) {
      out = mess.chance(0.5) ? row.slice(0, -1) : [...row, "extra"];
      count(file, "field_count");
    } else if (r < P_INVALID_BSN + P_FIELD_COUNT + P_BAD_DATE && dates.length > 0) {
      const at = mess.choice(dates);
      out = [...row];
      out[at] = malformDate(mess, row[at] as string);
      count(file, "invalid_date");
    } else if (r < P_INVALID_BSN + P_FIELD_COUNT + P_BAD_DATE + P_UNKNOWN_CODE && codes.length > 0) {
      const at = mess.choice(codes);
      out = [...row];
      out[at] = mess.choice(UNKNOWN_CODES);
      count(file, "unknown_code");
    } else {
      corrupted = false;
    }
    writer.write(out);
    if (corrupted) return;
    if (mess.chance(P_DUPLICATE)) {
      writer.write(out);
      count(file, "duplicate");
    } else if (PERSON_FILES.includes(file) && mess.chance(P_CONFLICT)) {
      const conflicting = [...out];
      if (file === "personen") conflicting[4] = conflicting[4] === "1234AB" ? "1235AB" : "1234AB";
      if (file === "huishoudens") conflicting[2] = String(Number(conflicting[2]) + 1);
      if (file === "opleiding") conflicting[1] = conflicting[1] === "BAS" ? "MBO" : "BAS";
      if (file === "uitkomsten") conflicting[2] = conflicting[2] === "1" ? "0" : "1";
      writer.write(conflicting);
      count(file, "conflicting_duplicate");
    }
  };

  const issued = new Set<string>();
  const armCounts = new Array<number>(INTERVENTIONS.length).fill(0);
  const muSums = new Array<number>(INTERVENTIONS.length).fill(0);
  let werkSum = 0;
  const rows: Record<string, number> = {};
  try {
    for (let i = 0; i < n; i += 1) {
      let bsn = fakeBsn(ids);
      while (issued.has(bsn)) bsn = fakeBsn(ids);
      issued.add(bsn);
      const p: SimPerson = simulatePerson(rng, bsn, `TR${String(i + 1).padStart(8, "0")}`, licence ? { licence } : {});
      if (p.rijbewijs !== null) p.files.personen = [...p.files.personen, String(p.rijbewijs)];
      armCounts[p.arm] = (armCounts[p.arm] as number) + 1;
      werkSum += p.werk;
      p.mu.forEach((m, a) => {
        muSums[a] = (muSums[a] as number) + m;
      });
      for (const file of DELIVERY_FILE_NAMES) {
        const data = p.files[file];
        const list: string[][] = typeof data[0] === "string" ? [data as string[]] : (data as string[][]);
        if (!clean && PERSON_FILES.includes(file) && mess.chance(P_MISSING)) {
          count(file, "missing");
          continue;
        }
        if (!clean && file === "trajecten" && mess.chance(P_NO_TRAJECTORY)) {
          count(file, "missing");
          continue;
        }
        for (const row of list) emit(file, row);
      }
      // The primary outcome's truth, then each secondary outcome's (outcome by outcome, arm by arm).
      truth.write(layout.row(TRUTH_FILE, [bsn, ...p.mu.map((m) => m.toFixed(4)), ...p.secondary.flat().map((v) => v.toFixed(4))]));
      if (i % 2000 === 1999) {
        await Promise.all(all.map((w) => w.drain()));
        options.onProgress?.(i + 1, n);
      }
    }
    for (const file of DELIVERY_FILE_NAMES) rows[file] = writers[file].rows;
    if (layout.profile) {
      const profilePath = join(outDir, PROFILE_FILE_NAME);
      await writeFile(`${profilePath}.partial`, `${JSON.stringify(layout.profile, null, 2)}\n`);
      await rename(`${profilePath}.partial`, profilePath);
    }
    rows[TRUTH_FILE] = truth.rows;
    await Promise.all(all.map((w) => w.close()));
  } catch (error) {
    await Promise.all(all.map((w) => w.abort()));
    throw error;
  }
  options.onProgress?.(n, n);
  const manifest: DeliveryManifest = {
    generator: "trajectwijzer-synth",
    version: 1,
    seed,
    n,
    clean,
    format,
    renamed,
    ...(municipality ? { municipality } : {}),
    profile: layout.profile ? PROFILE_FILE_NAME : null,
    rows,
    injected,
    summary: {
      werkRate: round(werkSum / n),
      armShares: Object.fromEntries(armKeys.map((a, i) => [a, round((armCounts[i] as number) / n)])),
      meanMu: Object.fromEntries(armKeys.map((a, i) => [a, round((muSums[i] as number) / n)])),
    },
  };
  const manifestPath = join(outDir, "delivery.json");
  await writeFile(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${manifestPath}.partial`, manifestPath);
  return manifest;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** Removes a delivery directory's generated files (used by tests and the benchmark). */
export async function removeDelivery(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
