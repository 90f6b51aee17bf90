import type { Bundle } from "../bundle/bundle.js";
import { encodeRows } from "../table/encoder.js";
import { type Row, toNumber } from "../table/read.js";

/**
 * Faithfulness check of the gain explanations against a data generator's known drivers:
 * for the clients where a driver applies, the share whose explanation of that arm's gain
 * over the control arm has the driver's group among its top `k` groups (by |effect|).
 */
export type Driver = {
  arm: string;
  group: string;
  /** Which clients the driver applies to (e.g. problem debts for schuldhulp). */
  applies: (row: Row) => boolean;
  label: string;
};

const flag = (name: string, value: number) => (row: Row) => toNumber(row[name]) === value;

const youngLowEducation = (row: Row) =>
  ["basis", "vmbo_mbo1"].includes(String(row.opleiding)) && String(row.leeftijdsklasse) === "18-26";

/** The drivers of the project's synthetic generator (model/synth/scm.ts, effects tau_a). */
export const SYNTHETIC_DRIVERS: Driver[] = [
  { arm: "schuldhulp", group: "schulden", applies: flag("problematische_schulden", 1), label: "problem debts → schuldhulp" },
  { arm: "taaltraject", group: "taal", applies: flag("taaleis_voldaan", 0), label: "language requirement not met → taaltraject" },
  // The scholing effect grows with youth and is five times larger with low education: an
  // interaction, so both of its groups are checked, each on its own.
  { arm: "scholing", group: "opleiding", applies: youngLowEducation, label: "young with low education → scholing (education)" },
  { arm: "scholing", group: "leeftijd", applies: youngLowEducation, label: "young with low education → scholing (age)" },
  {
    arm: "werkervaringsplaats",
    group: "werkverleden",
    applies: (row) => (toNumber(row.maanden_sinds_werk) ?? 0) >= 48,
    label: "long since last job → werkervaringsplaats",
  },
];

export type FaithfulnessResult = { label: string; arm: string; group: string; clients: number; shareTopK: number }[];

export function faithfulness(bundle: Bundle, rows: readonly Row[], options: { drivers?: Driver[]; k?: number; maxClients?: number; steps?: number } = {}): FaithfulnessResult {
  const k = options.k ?? 3;
  const max = options.maxClients ?? 200;
  const arms = new Set(bundle.schema.treatment.arms);
  const groups = new Set(bundle.encoder.features.map((f) => f.group));
  return (options.drivers ?? SYNTHETIC_DRIVERS)
    .filter((d) => arms.has(d.arm) && groups.has(d.group))
    .map((driver) => {
      const clients = rows.filter(driver.applies).slice(0, max);
      let hits = 0;
      for (const row of clients) {
        const x = encodeRows(bundle.encoder, [row]);
        const [attribution] = bundle.learner.attribute(x, 1, options.steps ? { steps: options.steps } : {});
        if (!attribution) continue;
        const top = Object.entries(attribution.gain[driver.arm] ?? {})
          .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
          .slice(0, k)
          .map(([g]) => g);
        if (top.includes(driver.group)) hits++;
      }
      return { label: driver.label, arm: driver.arm, group: driver.group, clients: clients.length, shareTopK: clients.length ? hits / clients.length : 0 };
    });
}
