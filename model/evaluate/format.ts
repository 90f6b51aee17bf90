import { type Estimate, mean } from "../metrics/index.js";
import type { EvaluationReport, ModelReport } from "./evaluate.js";

/** The targets, checked on a report that holds the network and the T-learner baseline. */
export type TargetCheck = { target: string; value: string; pass: boolean };

export const TARGETS = { capturedOracleGain: 0.8, ece: 0.02 } as const;

export function checkTargets(report: EvaluationReport, names: { network: string; baseline: string }): TargetCheck[] {
  const network = report.models.find((m) => m.name === names.network);
  const baseline = report.models.find((m) => m.name === names.baseline);
  const checks: TargetCheck[] = [];
  if (!network) return checks;
  const nt = network.truth;
  const bt = baseline?.truth;
  if (nt && bt) {
    checks.push({
      target: `${names.network} √PEHE below ${names.baseline}`,
      value: `${fmt(nt.sqrtPehe)} vs ${fmt(bt.sqrtPehe)}`,
      pass: nt.sqrtPehe < bt.sqrtPehe,
    });
    const a = nt.values.capturedOracleGain;
    const b = bt.values.capturedOracleGain;
    checks.push({
      target: `${names.network} captured oracle gain above ${names.baseline}`,
      value: `${fmt(a)} vs ${fmt(b)}`,
      pass: a !== null && b !== null && a > b,
    });
  }
  if (nt) {
    const a = nt.values.capturedOracleGain;
    checks.push({
      target: `${names.network} captured oracle gain ≥ ${TARGETS.capturedOracleGain}`,
      value: fmt(a),
      pass: a !== null && a >= TARGETS.capturedOracleGain,
    });
  }
  if (report.table.outcomeType === "binary") {
    const worst = network.factual.reduce<{ arm: string; ece: number } | null>(
      (w, f) => (f.ece !== null && (!w || f.ece > w.ece) ? { arm: f.arm, ece: f.ece } : w),
      null,
    );
    checks.push({
      target: `${names.network} ECE ≤ ${TARGETS.ece} for every arm`,
      value: worst ? `worst ${fmt(worst.ece, 4)} (${worst.arm})` : "n/a",
      pass: network.factual.every((f) => f.ece !== null && f.ece <= TARGETS.ece),
    });
    // Observed 0/1 outcomes on a few hundred rows per arm put a noise floor under the ECE above
    // (the true chances themselves score eceOfTruth); against the true chances there is none.
    if (nt) {
      const against = Object.entries(nt.eceAgainstTruth);
      const worstTruth = against.reduce<[string, number] | null>((w, e) => (!w || e[1] > w[1] ? e : w), null);
      checks.push({
        target: `${names.network} ECE against the true chances ≤ ${TARGETS.ece} for every arm`,
        value: worstTruth ? `worst ${fmt(worstTruth[1], 4)} (${worstTruth[0]})` : "n/a",
        pass: against.length > 0 && against.every(([, e]) => e <= TARGETS.ece),
      });
    }
  }
  return checks;
}

function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

function interval(e: Estimate | null): string {
  return e ? `${fmt(e.value)} [${fmt(e.lower95)}, ${fmt(e.upper95)}]` : "–";
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ")}`;
  return [line(header), ...rows.map(line)];
}

/** Human-readable report: one column (group) per model, side by side. */
export function formatReport(report: EvaluationReport, targets: TargetCheck[] = []): string {
  const { models } = report;
  // Tables of the predictions themselves leave out a model that only differs in its policy.
  const distinct = models.filter((m) => m.samePredictionsAs === null);
  const t = report.table;
  const out: string[] = [];
  out.push(
    `Evaluation on ${t.rows} rows: ${t.arms.length} arms (control ${t.control}), outcome ${t.outcome} (${t.outcomeType}), ground truth ${t.hasTruth ? "present" : "absent"}`,
  );
  out.push(`Models: ${models.map((m) => m.name).join(", ")}`);
  const binary = t.outcomeType === "binary";

  out.push(
    "",
    binary
      ? `Factual fit per arm (AUC / Brier / ECE, 10 equal-width bins${t.hasTruth ? "; truth ECE = ECE of the true chances, the noise floor" : ""})`
      : "Factual fit per arm (RMSE)",
  );
  const floor = binary && t.hasTruth;
  const head = [
    "arm",
    "n",
    ...(floor ? ["truth ECE"] : []),
    ...distinct.flatMap((m) => (binary ? [`${m.name} AUC`, "Brier", "ECE"] : [`${m.name} RMSE`])),
  ];
  out.push(
    ...table(
      head,
      t.arms.map((arm, a) => [
        arm,
        String(models[0]?.factual[a]?.n ?? 0),
        ...(floor ? [fmt(models[0]?.factual[a]?.eceOfTruth, 4)] : []),
        ...distinct.flatMap((m) => {
          const f = m.factual[a];
          return binary ? [fmt(f?.auc), fmt(f?.brier), fmt(f?.ece, 4)] : [fmt(f?.rmse)];
        }),
      ]),
    ),
  );

  out.push("", `Uplift of the predicted gain over ${t.control} (Qini coefficient; IPW-weighted in brackets)`);
  const upliftArms = models[0]?.uplift.map((u) => u.arm) ?? [];
  out.push(
    ...table(
      ["arm", ...distinct.map((m) => m.name)],
      upliftArms.map((arm) => [
        arm,
        ...distinct.map((m) => {
          const u = m.uplift.find((x) => x.arm === arm);
          return u ? `${fmt(u.qini, 4)} (${fmt(u.qiniWeighted, 4)})` : "–";
        }),
      ]),
    ),
  );

  out.push("", "Off-policy value of the recommendation (estimate [95% interval])");
  const policyRows: [string, (m: ModelReport) => string][] = [
    ["IPW", (m) => interval(m.policyValue.ipw)],
    ["self-normalised IPW", (m) => interval(m.policyValue.selfNormalisedIpw)],
    ["doubly robust", (m) => interval(m.policyValue.doublyRobust)],
    ["observed assignment", (m) => fmt(m.observedValue)],
    ["rec − observed, paired (DR)", (m) => interval(m.gainOverObserved.doublyRobust)],
  ];
  out.push(...table(["estimator", ...models.map((m) => m.name)], policyRows.map(([label, f]) => [label, ...models.map(f)])));

  if (report.comparisons.length) {
    out.push("", "Paired off-policy difference of the recommendations (doubly robust [95% interval]; nuisance of the first model)");
    out.push(
      ...table(
        ["comparison", "estimate", ...(t.hasTruth ? ["true difference"] : [])],
        report.comparisons.map((c) => [
          `${c.model} − ${c.against}`,
          interval(c.difference.doublyRobust),
          ...(t.hasTruth ? [fmt(c.trueDifference, 4)] : []),
        ]),
      ),
    );
  }

  if (models.some((m) => m.truth)) {
    out.push("", "Against the ground truth");
    const truthRows: [string, (m: ModelReport) => string][] = [
      ["√PEHE (gain over control, all arms)", (m) => fmt(m.truth?.sqrtPehe, 4)],
      ["mean |ATE error|", (m) => fmt(m.truth?.meanAbsAteError, 4)],
      ["value of rec", (m) => fmt(m.truth?.values.policy, 4)],
      ["oracle value", (m) => fmt(m.truth?.values.oracle, 4)],
      ["value of observed assignment", (m) => fmt(m.truth?.values.observed, 4)],
      ["regret (oracle − rec)", (m) => fmt(m.truth?.values.regret, 4)],
      ["captured oracle gain", (m) => fmt(m.truth?.values.capturedOracleGain)],
    ];
    if (binary) {
      truthRows.push([
        "worst ECE against true chance",
        (m) => fmt(m.truth ? Math.max(...Object.values(m.truth.eceAgainstTruth)) : null, 4),
      ]);
    }
    truthRows.push(
      ["80% interval holds the true chance (mean over arms)", (m) => fmt(meanOverArms(m.truth?.intervalCoverage))],
      ["80% interval holds the true gain (mean over arms)", (m) => fmt(meanOverArms(m.truth?.gainIntervalCoverage))],
    );
    out.push(...table(["metric", ...models.map((m) => m.name)], truthRows.map(([label, f]) => [label, ...models.map(f)])));
    out.push("", "ATE error per arm (predicted − true) and √PEHE per arm");
    out.push(
      ...table(
        ["arm", "true ATE", ...distinct.flatMap((m) => [`${m.name} ATE err`, "√PEHE"])],
        upliftArms.map((arm) => [
          arm,
          fmt(models[0]?.truth?.ate[arm]?.true, 4),
          ...distinct.flatMap((m) => [fmt(m.truth?.ate[arm]?.error, 4), fmt(m.truth?.sqrtPehePerArm[arm], 4)]),
        ]),
      ),
    );
  }

  if (targets.length) {
    out.push("", "Targets");
    for (const c of targets) out.push(`  [${c.pass ? "pass" : "FAIL"}] ${c.target}: ${c.value}`);
  }
  return `${out.join("\n")}\n`;
}

/** The mean of a per-arm figure (e.g. interval coverage); null when there is none. */
export function meanOverArms(perArm: Record<string, number> | null | undefined): number | null {
  const values = Object.values(perArm ?? {});
  return values.length > 0 ? mean(values) : null;
}
