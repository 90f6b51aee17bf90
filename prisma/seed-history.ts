import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { hash } from "@node-rs/argon2";
import { parse } from "csv-parse";
import type { PrismaClient } from "../app/generated/prisma/client";
import { DEVIATION_REASONS } from "../app/utils/forms/decision-form";
import { displayCode, pseudonymise } from "../app/utils/pseudonym.server";
import { type Bundle, predictTable } from "../model/index";
import { createRandom } from "../model/random";
import type { RecommendationResult } from "../model/recommendation";
import { ClientProfileSchema, type ClientProfile, ORIGINS, REINTEGRATION_FEATURES, SEXES, truthColumn } from "../model/reintegration";

/**
 * Demo history for the managers' quality dashboard: past clients with the recommendation the
 * active model shows for them, the case worker's decision (advice followed or not, with a reason)
 * and — for decisions older than three months — the outcome, drawn from the synthetic generator's
 * ground truth: work ~ Bernoulli(mu_<chosen arm>) with a seeded generator. Dates spread over the
 * last 18 months. History clients belong to inactive demo case-worker accounts in three teams, so
 * the demo case workers' own caseloads stay as they are.
 */
export const HISTORY_TEAMS = ["Team Noord", "Team Zuid", "Team West"] as const;
/** Share of advice followed per team: teams differ, as they do in practice. */
const FOLLOW_RATE: Record<(typeof HISTORY_TEAMS)[number], number> = { "Team Noord": 0.78, "Team Zuid": 0.64, "Team West": 0.52 };
const REASON_WEIGHTS: Record<(typeof DEVIATION_REASONS)[number], number> = {
  client_preference: 0.35,
  not_available: 0.25,
  professional_judgement: 0.25,
  circumstances_changed: 0.1,
  other: 0.05,
};
const REASON_TEXTS: Record<(typeof DEVIATION_REASONS)[number], string> = {
  client_preference: "Cliënt kiest liever een ander traject.",
  not_available: "Geadviseerd traject had geen plek op korte termijn.",
  professional_judgement: "Inschatting klantmanager na gesprek.",
  circumstances_changed: "Situatie van de cliënt is veranderd.",
  other: "Andere reden, besproken met de cliënt.",
};
const DAY = 24 * 3600 * 1000;

type HistoryRow = { profile: ClientProfile; truth: number[]; sex: string | null; origin: string | null };

/** Reads `count` usable rows of the analysis table after skipping the first `skip` (those feed the caseloads). */
async function readHistoryRows(analysisCsv: string, arms: readonly string[], skip: number, count: number): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  let seen = 0;
  const parser = createReadStream(analysisCsv).pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (seen++ < skip) continue;
    const profile = ClientProfileSchema.safeParse(Object.fromEntries(REINTEGRATION_FEATURES.map((f) => [f.name, row[f.name]])));
    const truth = arms.map((a) => Number(row[truthColumn(a)]));
    if (!profile.success || truth.some((t) => !Number.isFinite(t))) continue;
    const sex = row.geslacht ?? "";
    const origin = row.herkomst ?? "";
    rows.push({
      profile: profile.data,
      truth,
      sex: (SEXES as readonly string[]).includes(sex) ? sex : null,
      origin: (ORIGINS as readonly string[]).includes(origin) ? origin : null,
    });
    if (rows.length >= count) break;
  }
  parser.destroy();
  return rows;
}

async function ensureHistoryCaseworkers(db: PrismaClient) {
  const ids: { id: string; team: (typeof HISTORY_TEAMS)[number] }[] = [];
  for (const [k, team] of HISTORY_TEAMS.entries()) {
    const username = `historie${k + 1}`;
    const existing = await db.user.findUnique({ where: { username }, select: { id: true } });
    const user =
      existing ??
      (await db.user.create({
        // Never signs in: an inactive account with an unusable password, only the owner of past decisions.
        data: { username, displayName: `Klantmanager ${team} (historie)`, role: "caseworker", team, active: false, passwordHash: await hash(randomUUID()) },
        select: { id: true },
      }));
    ids.push({ id: user.id, team });
  }
  return ids;
}

function pick(weights: readonly number[], u: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (const [k, w] of weights.entries()) {
    acc += w / total;
    if (u < acc) return k;
  }
  return weights.length - 1;
}

/**
 * Seeds `count` past clients once; returns how many were created (0 when a history exists already).
 * `skip` rows of the analysis table are left to the demo caseloads.
 */
export async function seedHistory(
  db: PrismaClient,
  options: { analysisCsv: string; bundle: Bundle; count: number; pseudonymKey: string; seed?: number; skip?: number; now?: Date },
): Promise<number> {
  if (options.count <= 0) return 0;
  const caseworkers = await ensureHistoryCaseworkers(db);
  if ((await db.client.count({ where: { caseworkerId: { in: caseworkers.map((c) => c.id) } } })) > 0) return 0;
  const arms = options.bundle.schema.treatment.arms;
  const control = options.bundle.schema.treatment.control;
  const rows = await readHistoryRows(options.analysisCsv, arms, options.skip ?? 2000, options.count);
  if (rows.length === 0) return 0;
  const prediction = predictTable(
    options.bundle,
    rows.map((r) => r.profile),
  );
  const random = createRandom(options.seed ?? 2026);
  const now = (options.now ?? new Date()).getTime();
  const clients = [];
  const recommendations = [];
  const decisions = [];
  const outcomes = [];
  for (const [i, row] of rows.entries()) {
    const caseworker = caseworkers[Math.floor(random() * caseworkers.length)] as (typeof caseworkers)[number];
    const mean = prediction.mean[i] as number[];
    const propensity = prediction.propensity[i] as number[];
    const recIndex = arms.indexOf(prediction.rec[i] as string);
    const order = arms.map((_, k) => k).sort((a, b) => (a === recIndex ? -1 : b === recIndex ? 1 : (mean[b] as number) - (mean[a] as number)));
    const controlIndex = arms.indexOf(control);
    const result: RecommendationResult = {
      modelVersion: options.bundle.version,
      outcomeType: "binary",
      control,
      arms: order.map((k, rank) => ({
        arm: arms[k] as string,
        rank: rank + 1,
        eligible: true,
        excludedBy: null,
        expected: mean[k] as number,
        lower: prediction.lower[i]?.[k] as number,
        upper: prediction.upper[i]?.[k] as number,
        gain: (mean[k] as number) - (mean[controlIndex] as number),
        gainLower: prediction.gainLower[i]?.[k] as number,
        gainUpper: prediction.gainUpper[i]?.[k] as number,
        propensity: propensity[k] as number,
        comparableClients: null,
        lowEvidence: false,
        // Explanations are not stored for the demo history.
        reasons: [],
      })),
      whatIfs: [],
    };
    const topArm = arms[recIndex] as string;
    // The case worker follows the advice with the team's rate, or else chooses as case workers
    // historically did for clients like this one (the model's propensity), which may be the advice too.
    const chosenIndex = random() < FOLLOW_RATE[caseworker.team] ? recIndex : pick(propensity, random());
    const followed = chosenIndex === recIndex;
    const reason = followed ? null : (DEVIATION_REASONS[pick(Object.values(REASON_WEIGHTS), random())] as (typeof DEVIATION_REASONS)[number]);
    const decidedAt = new Date(now - Math.floor(random() * 548 * DAY));
    const clientId = randomUUID();
    const recommendationId = randomUUID();
    const decisionId = randomUUID();
    const referenceHash = pseudonymise(`history-${i}`, options.pseudonymKey);
    const hasOutcome = now - decidedAt.getTime() > 90 * DAY && random() < 0.9;
    const work = random() < (row.truth[chosenIndex] as number);
    clients.push({
      id: clientId,
      referenceHash,
      code: displayCode(referenceHash),
      caseworkerId: caseworker.id,
      profileJson: JSON.stringify(row.profile),
      status: hasOutcome ? "closed" : "active",
      lastContactAt: decidedAt,
      createdAt: new Date(decidedAt.getTime() - 14 * DAY),
      fairnessSex: row.sex,
      fairnessOrigin: row.origin,
      version: hasOutcome ? 2 : 1,
    });
    recommendations.push({ id: recommendationId, clientId, modelVersion: options.bundle.version, resultJson: JSON.stringify(result), topArm, createdAt: new Date(decidedAt.getTime() - DAY) });
    decisions.push({
      id: decisionId,
      clientId,
      recommendationId,
      chosenArm: arms[chosenIndex] as string,
      followedAdvice: followed,
      reasonCode: reason,
      reasonText: reason ? REASON_TEXTS[reason] : null,
      decidedById: caseworker.id,
      version: 1,
      createdAt: decidedAt,
    });
    if (hasOutcome) {
      const recordedAt = new Date(Math.min(now, decidedAt.getTime() + (90 + Math.floor(random() * 270)) * DAY));
      outcomes.push({
        id: randomUUID(),
        clientId,
        decisionId,
        work,
        workStart: work ? new Date(decidedAt.getTime() + Math.floor(random() * 300 + 30) * DAY) : null,
        hoursPerWeek: work ? 12 + Math.floor(random() * 25) : null,
        leftBenefits: work && random() < 0.7,
        wmoAfter: random() < 0.1,
        debtsAfter: row.profile.problematische_schulden === 1 && random() < 0.6,
        recordedById: caseworker.id,
        version: 1,
        createdAt: recordedAt,
      });
    }
  }
  await db.$transaction([
    db.client.createMany({ data: clients }),
    db.recommendation.createMany({ data: recommendations }),
    db.decision.createMany({ data: decisions }),
    db.outcome.createMany({ data: outcomes }),
  ]);
  return clients.length;
}
