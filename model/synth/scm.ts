import { INTERVENTIONS } from "../catalogue.js";
import {
  addBenefit,
  addDebt,
  addEmployment,
  addMedication,
  addWmo,
  DAYS_PER_MONTH,
  deriveFeatures,
  FEATURE_INDEX,
  type FeatureValue,
  formatIsoDate,
  newTrajectoryState,
  parseIsoDate,
  type TrajectoryState,
  WMO_BY_WEIGHT,
} from "../link/derive.js";
import {
  CODE_OF_INTERVENTION,
  EDUCATION_CODES,
  HOUSEHOLD_CODES,
  LANGUAGE_LEVELS,
  LANGUAGE_REQUIREMENT_INDEX,
  medicationBit,
  ORIGIN_CODES,
  REGION_PC2,
  regionOfPostcode,
  SECTOR_CODES,
  SEX_CODES,
  WMO_CODES,
} from "../link/format.js";
import { EDUCATION_LEVELS, HOUSEHOLDS, ORIGINS, REGIONS, SEXES } from "../reintegration.js";
import { clamp, sigmoid } from "../math.js";
import type { Rng } from "../random.js";
import { debtChance, HOURS_SD, hoursMean, leaveChance, secondaryTruth, wmoChance } from "./secondary-truth.js";

/**
 * The structural causal model behind the synthetic delivery (documented in docs/synthetic-data.md).
 *
 *   exogenous:  start date T, age, sex, origin, region, household, education, language,
 *               health (ATC groups, WMO), debts, work and benefit history, latent employability U
 *   features:   X = derive(rows)  — exactly what the linker derives from the clean files
 *   baseline:   p0(X, U) = sigmoid(linear index), the chance of work within 12 months under `regulier`
 *   effects:    mu_a(X, U) = clamp(p0 + tau_a(X, p0), 0.005, 0.97), tau in probability points
 *   assignment: A ~ Categorical(0.03 + 0.76 * softmax(s(X)))  — confounded by X only (no U): ignorable,
 *               every arm >= 3 % for everyone (overlap)
 *   outcome:    werk_12m ~ Bernoulli(mu_A); secondary outcomes from werk_12m, X and A
 */

const ARM = Object.fromEntries(INTERVENTIONS.map((a, i) => [a, i])) as Record<(typeof INTERVENTIONS)[number], number>;
const inv = <T extends string>(table: Record<string, T>): Record<T, string> =>
  Object.fromEntries(Object.entries(table).map(([code, v]) => [v, code])) as Record<T, string>;
const SEX_CODE = inv(SEX_CODES);
const ORIGIN_CODE = inv(ORIGIN_CODES);
const HOUSEHOLD_CODE = inv(HOUSEHOLD_CODES);
const EDUCATION_CODE = inv(EDUCATION_CODES);
const WMO_CODE = inv(WMO_CODES);

const FIRST_START = parseIsoDate("2021-01-01") as number;
const LAST_START = parseIsoDate("2023-12-31") as number;
const YEAR = 365.25;

/** Intercept of the baseline index, calibrated so that the observed work rate is about 20 % (see docs). */
export const BASELINE_INTERCEPT = 0.05;
/** Assignment score constants per arm (regulier = 0), tuned for regulier ≈ 40 % of trajectories. */
const ASSIGNMENT_CONSTANT = [0, -2.3, -2.45, -2.3, -2.55, -2.6, -2.65, -2.75];
const OVERLAP_FLOOR = 0.03;

const AGE_BAND_WEIGHTS = [0.12, 0.17, 0.21, 0.23, 0.27];
const AGE_BAND_RANGES: [number, number][] = [
  [18, 27],
  [27, 35],
  [35, 45],
  [45, 55],
  [55, 67],
];

export type SimPerson = {
  bsn: string;
  files: {
    personen: string[];
    huishoudens: string[];
    opleiding: string[];
    dienstverbanden: string[][];
    uitkeringen: string[][];
    medicatie: string[][];
    schulden: string[][];
    wmo: string[][];
    trajecten: string[];
    uitkomsten: string[];
  };
  /** The features the linker derives from this person's clean rows (REINTEGRATION_FEATURES order). */
  features: FeatureValue[];
  /** True probability of werk_12m under each arm, INTERVENTIONS order. */
  mu: number[];
  /** True expected secondary outcomes: per SECONDARY_TRUTH_OUTCOMES outcome, per arm (INTERVENTIONS order). */
  secondary: number[][];
  arm: number;
  werk: number;
  propensity: number[];
  /** Municipality B's extra variable (driving licence B, 0/1); null when not simulated. */
  rijbewijs: number | null;
};

export type SimulateOptions = {
  /**
   * Also simulate a driving licence (municipality B's extra variable), from this separate random
   * stream so that without it every person is exactly as before. It depends on age, education,
   * origin, language, region and work history, and raises the chance of work a little (most of all
   * with job hunting, where a car widens the search).
   */
  licence?: Rng;
};

const ATC_CHOICES: string[][] = [
  ["N06AB", "N06AX", "N06AA"],
  ["N05AH", "N05BA", "N05CF"],
  ["A10BA", "A10AB", "A10BJ"],
  ["R03AK", "R03BA", "R03AC"],
  ["C07AB", "C09AA", "C10AA", "C03CA"],
];
const OTHER_ATC = ["M01AE", "J01CA", "N02BE", "A02BC", "D07AC", "H03AA"];

/** Simulates one person (one trajectory) of the delivery, clean. */
export function simulatePerson(rng: Rng, bsn: string, trajectId: string, options: SimulateOptions = {}): SimPerson {
  const T = rng.int(FIRST_START, LAST_START);
  const startYear = new Date(T * 86_400_000).getUTCFullYear();
  const band = rng.pick(AGE_BAND_WEIGHTS);
  const [lo, hi] = AGE_BAND_RANGES[band] as [number, number];
  const ageYears = rng.uniform(lo, hi);
  const birth = T - Math.round(ageYears * YEAR);
  const adultFrom = birth + Math.ceil(18 * YEAR);
  const sex = rng.chance(0.52) ? 1 : 0;
  const origin = rng.pick([0.45, 0.09, 0.46]);
  const regionWeights = [0.12, 0.15, 0.17, 0.16, origin === 2 ? 0.62 : 0.38];
  const region = rng.pick(regionWeights);
  const pc2 = rng.choice(REGION_PC2[REGIONS[region] as (typeof REGIONS)[number]]);
  const pc4 = pc2 * 100 + rng.int(0, 99);
  const letters = String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25));
  const postcode = `${pc4}${letters}`;

  const household =
    ageYears >= 55
      ? rng.pick([0.68, 0.04, 0.22, 0.06])
      : sex === 1
        ? rng.pick([0.4, 0.36, 0.09, 0.15])
        : rng.pick([0.7, 0.03, 0.11, 0.16]);
  const parent = household === 1 || household === 3;
  const children = parent ? Math.min(6, 1 + rng.poisson(origin === 2 ? 1.3 : 0.9)) : 0;
  const youngestAge = parent ? rng.int(0, Math.max(0, Math.min(17, Math.floor(ageYears) - 18))) : 0;
  const youngestYear = parent ? startYear - youngestAge : 0;

  const education = rng.pick(
    origin === 0 ? [0.12, 0.33, 0.37, 0.08, 0.1] : origin === 1 ? [0.15, 0.25, 0.3, 0.12, 0.18] : [0.32, 0.28, 0.25, 0.07, 0.08],
  );
  const pBelow = origin === 0 ? 0.01 : origin === 1 ? 0.22 : 0.3 + (ageYears >= 45 ? 0.1 : 0);
  const language = rng.chance(pBelow)
    ? rng.pick([0.3, 0.7])
    : origin === 0
      ? 4 + rng.pick([0.3, 0.5, 0.2])
      : 2 + rng.pick([0.25, 0.35, 0.25, 0.1, 0.05]);
  const languageBelow = language < LANGUAGE_REQUIREMENT_INDEX ? 1 : 0;

  // Health in the year before the start: ATC groups (N06A, N05, A10, R03, C).
  const n06a = rng.chance(sigmoid(-1.82 + 0.3 * sex + (ageYears >= 35 && ageYears < 55 ? 0.3 : 0))) ? 1 : 0;
  const n05 = rng.chance(0.05 + 0.25 * n06a) ? 1 : 0;
  const a10 = rng.chance(sigmoid(-4.2 + 0.06 * (ageYears - 18) + (origin === 2 ? 0.4 : 0))) ? 1 : 0;
  const r03 = rng.chance(0.09) ? 1 : 0;
  const cardio = rng.chance(sigmoid(-4.5 + 0.075 * (ageYears - 18) + a10)) ? 1 : 0;
  const meds = [n06a, n05, a10, r03, cardio];
  const wmoTypes: number[] = [];
  if (rng.chance(0.03 + 0.12 * (n06a | n05))) wmoTypes.push(3);
  if (rng.chance(0.01 + 0.05 * (ageYears >= 55 ? 1 : 0) + 0.04 * (cardio | a10))) wmoTypes.push(2);
  if (rng.chance(0.015 + 0.03 * (a10 | r03 | cardio))) wmoTypes.push(1);

  // Debts.
  const problemDebt = rng.chance(
    sigmoid(
      -1.27 +
        0.4 * (ageYears < 45 ? 1 : 0) -
        0.5 * (ageYears >= 55 ? 1 : 0) +
        0.5 * (household === 1 ? 1 : 0) +
        0.3 * n06a +
        0.2 * (children >= 3 ? 1 : 0),
    ),
  )
    ? 1
    : 0;
  const debtEarlier = rng.chance(0.1 + 0.15 * problemDebt) ? 1 : 0;

  // Work and benefit history, backwards from the start date.
  const healthCount = n06a + n05 + (wmoTypes.length > 0 ? 1 : 0);
  const neverWorked = rng.chance(
    sigmoid(
      -2.44 +
        1.0 * (ageYears < 27 ? 1 : 0) +
        1.0 * languageBelow +
        0.5 * (education === 0 ? 1 : 0) +
        0.5 * (household === 1 ? 1 : 0) -
        0.3 * (education === 4 ? 1 : 0),
    ),
  );
  const adultMonths = Math.max(1, Math.floor((T - adultFrom) / DAYS_PER_MONTH));
  const benefitMonths = clamp(
    Math.round(
      Math.exp(
        Math.log(26) +
          0.02 * (ageYears - 40) +
          0.35 * healthCount +
          0.3 * (neverWorked ? 1 : 0) +
          0.3 * languageBelow +
          0.95 * rng.normal(),
      ),
    ),
    1,
    Math.min(360, adultMonths),
  );
  const benefitStart = Math.max(adultFrom, T - Math.round(benefitMonths * DAYS_PER_MONTH) - rng.int(0, 20));
  // Older unemployed may be on IOAW (former employees) or IOAZ (former self-employed) instead of PW.
  const scheme = ageYears >= 50 && rng.chance(0.08) ? (rng.chance(0.75) ? "IOAW" : "IOAZ") : "PW";
  const benefits: [number, number | null, string][] = [[benefitStart, null, scheme]];
  const jobs: [number, number, number, string][] = [];
  if (!neverWorked) {
    let cursor = benefitStart - rng.int(0, 180);
    const k = 1 + rng.poisson(1.0);
    for (let j = 0; j < k && cursor > adultFrom + 60; j += 1) {
      const duration = Math.max(60, Math.round(Math.exp(Math.log(400) + 0.9 * rng.normal())));
      const begin = Math.max(adultFrom, cursor - duration);
      const hours = rng.pick([0.1, 0.2, 0.25, 0.15, 0.3]);
      jobs.push([begin, cursor, [8, 16, 24, 32, 38][hours] as number, rng.choice(SECTOR_CODES)]);
      const gap = Math.round(Math.exp(Math.log(200) + rng.normal()));
      if (gap >= 90 && begin - gap > adultFrom && rng.chance(0.45)) {
        benefits.push([begin - gap + 15, begin - 15, "PW"]);
      }
      cursor = begin - gap;
    }
  } else if (benefitStart - 500 > adultFrom && rng.chance(0.2)) {
    benefits.push([benefitStart - 500, benefitStart - 200, "PW"]);
  }

  // Rows, and the join state exactly as the linker will derive it.
  const s: TrajectoryState = newTrajectoryState(T, 0);
  s.birth = birth;
  s.sex = sex;
  s.origin = origin;
  s.region = REGIONS.indexOf(regionOfPostcode(pc4));
  s.household = household;
  s.children = children;
  s.youngestYear = youngestYear;
  s.education = education;
  s.language = language;

  const dienstverbanden = jobs.map(([b, e, h, sector]) => {
    addEmployment(s, b, e);
    return [bsn, formatIsoDate(b), formatIsoDate(e), String(h), sector];
  });
  const uitkeringen = benefits.map(([b, e, code]) => {
    addBenefit(s, b, e);
    return [bsn, formatIsoDate(b), e === null ? "" : formatIsoDate(e), code];
  });
  const medicatie: string[][] = [];
  meds.forEach((used, group) => {
    const choices = ATC_CHOICES[group] as string[];
    if (used) {
      const atc = rng.choice(choices);
      for (const year of [startYear - 2, startYear - 1, startYear]) {
        if (year === startYear - 1 || rng.chance(0.75)) {
          medicatie.push([bsn, String(year), atc]);
          addMedication(s, year, medicationBit(atc));
        }
      }
    } else if (rng.chance(0.04)) {
      const atc = rng.choice(choices);
      medicatie.push([bsn, String(startYear - 2), atc]);
      addMedication(s, startYear - 2, medicationBit(atc));
    }
  });
  if (rng.chance(0.25)) {
    const atc = rng.choice(OTHER_ATC);
    medicatie.push([bsn, String(startYear - 1), atc]);
    addMedication(s, startYear - 1, medicationBit(atc));
  }
  const schulden: string[][] = [];
  if (debtEarlier) {
    const reg = T - rng.int(36, 96) * 30;
    const end = Math.min(T - 30, reg + rng.int(6, 30) * 30);
    const problematic = rng.chance(0.7);
    schulden.push([bsn, formatIsoDate(reg), formatIsoDate(end), problematic ? "1" : "0"]);
    addDebt(s, reg, end, problematic);
  }
  if (problemDebt) {
    const reg = T - rng.int(1, 36) * 30;
    schulden.push([bsn, formatIsoDate(reg), "", "1"]);
    addDebt(s, reg, null, true);
  }
  const wmo: string[][] = wmoTypes.map((weight) => {
    const begin = T - rng.int(30, 1800);
    const end = rng.chance(0.7) ? null : T + rng.int(30, 700);
    addWmo(s, weight, begin, end);
    const support = WMO_BY_WEIGHT[weight] as keyof typeof WMO_CODE;
    return [bsn, WMO_CODE[support], formatIsoDate(begin), end === null ? "" : formatIsoDate(end)];
  });
  if (rng.chance(0.03)) {
    // A provision that ended before the start: not active, does not count.
    const begin = T - rng.int(900, 2000);
    const end = begin + rng.int(60, 600);
    wmo.push([bsn, "HM", formatIsoDate(begin), formatIsoDate(end)]);
    addWmo(s, 1, begin, end);
  }

  const f = deriveFeatures(s);
  const num = (name: keyof typeof FEATURE_INDEX): number => Number(f[FEATURE_INDEX[name]]);
  const x = {
    age: ageYears,
    education,
    taaleis: num("taaleis_voldaan"),
    languageLevel: language,
    nooit: num("nooit_gewerkt"),
    msw: num("maanden_sinds_werk"),
    mw5: num("maanden_gewerkt_5j"),
    ub: num("uitkeringsduur_maanden"),
    eerdere: num("eerdere_uitkeringen"),
    n06a: num("med_antidepressiva"),
    n05: num("med_psycholeptica"),
    a10: num("med_diabetes"),
    r03: num("med_luchtwegen"),
    cardio: num("med_hart_vaat"),
    wmo: s.wmo,
    debt: num("problematische_schulden"),
    debtEarlier: num("schuldhulp_eerder"),
    youngChild: num("jongste_kind_0_4"),
    singleParent: household === 1 ? 1 : 0,
  };
  const u = rng.normal();
  const rijbewijs =
    options.licence === undefined
      ? null
      : options.licence.chance(
            sigmoid(
              0.9 +
                0.5 * (ageYears >= 27 ? 1 : 0) +
                0.4 * (education >= 2 ? 1 : 0) -
                0.9 * (origin === 2 ? 1 : 0) -
                0.5 * languageBelow -
                0.5 * (REGIONS[s.region] === "randstad" ? 1 : 0) -
                0.4 * (neverWorked ? 1 : 0),
            ),
          )
        ? 1
        : 0;
  // Without a simulated licence both shifts are exactly 0, so nothing else changes.
  const licenceShift = rijbewijs === null ? 0 : 0.35 * rijbewijs - 0.2;
  const licenceJobSearch = rijbewijs === null ? 0 : 0.03 * rijbewijs;

  // Baseline (regulier).
  const z =
    BASELINE_INTERCEPT -
    0.45 * Math.log1p(x.ub / 12) -
    0.3 * Math.log1p(x.msw / 12) +
    0.015 * x.mw5 -
    0.3 * x.nooit +
    ([-0.45, -0.2, 0, 0.15, 0.35][x.education] as number) -
    (x.age > 45 ? 0.04 * (x.age - 45) : 0) -
    (x.age < 23 ? 0.15 : 0) -
    0.45 * x.n06a -
    0.4 * x.n05 -
    0.2 * x.a10 -
    0.1 * x.r03 -
    0.15 * x.cardio -
    ([0, 0.35, 0.45, 0.6][x.wmo] as number) -
    0.45 * x.debt -
    0.6 * (1 - x.taaleis) -
    0.5 * x.youngChild -
    0.15 * x.singleParent +
    0.4 * u +
    licenceShift;
  const p0 = sigmoid(z);

  // Effects in probability points.
  const reducedCapacity = Math.min(1, 0.5 * (x.n06a + x.n05) + 0.5 * (x.wmo > 0 ? 1 : 0) + 0.25 * (x.a10 + x.cardio));
  const longBenefit = sigmoid((x.ub - 24) / 6);
  const young = sigmoid((30 - x.age) / 3.5);
  const lowEducation = x.education <= 1 ? 1 : 0;
  const tau = [
    0,
    0.13 * Math.exp(-(((p0 - 0.32) / 0.17) ** 2)) - 0.03 * x.debt - 0.01 + licenceJobSearch,
    lowEducation ? 0.16 * young - 0.035 : 0.03 * young - 0.035,
    -0.075 + 0.17 * sigmoid((x.msw - 24) / 6),
    0.15 * reducedCapacity * longBenefit + 0.02 * longBenefit - 0.01,
    x.debt ? 0.13 - 0.04 * x.debtEarlier : -0.012,
    clamp(0.05 - 0.5 * p0, -0.04, 0.05),
    x.taaleis ? -0.02 : 0.12 + (x.languageLevel === 1 ? 0.02 : 0),
  ];
  const mu = tau.map((t) => clamp(p0 + t, 0.005, 0.97));

  // Historical assignment by case workers: confounded by X, overlap floor.
  const score = [
    0,
    0.8 * (x.msw <= 24 && !x.nooit ? 1 : 0) + 0.3 * (x.education >= 2 ? 1 : 0),
    1.2 * (x.age < 27 ? 1 : 0) + 0.5 * lowEducation - 0.8 * (x.age >= 50 ? 1 : 0),
    0.9 * (x.msw > 36 || x.nooit ? 1 : 0) - 0.5 * (x.age >= 55 ? 1 : 0),
    1.0 * reducedCapacity + 0.5 * (x.ub >= 24 ? 1 : 0),
    2.3 * x.debt,
    1.0 * (x.age >= 50 && x.ub >= 60 ? 1 : 0) + 0.8 * (x.wmo > 0 ? 1 : 0),
    2.6 * (1 - x.taaleis),
  ].map((v, i) => v + (ASSIGNMENT_CONSTANT[i] as number));
  const maxScore = Math.max(...score);
  const expScore = score.map((v) => Math.exp(v - maxScore));
  const total = expScore.reduce((a, b) => a + b, 0);
  const propensity = expScore.map((e) => OVERLAP_FLOOR + (1 - OVERLAP_FLOOR * INTERVENTIONS.length) * (e / total));
  const arm = rng.pick(propensity);
  const armMu = mu[arm] as number;
  const werk = rng.chance(armMu) ? 1 : 0;

  // Secondary outcomes (their chances in secondary-truth.ts, which also gives their truth without a draw).
  const meanHours = hoursMean({ singleParent: x.singleParent, youngChild: x.youngChild, healthCount });
  const uren = werk ? clamp(Math.round(meanHours + HOURS_SD * rng.normal()), 4, 40) : 0;
  const uitstroom = rng.chance(leaveChance(werk, uren)) ? 1 : 0;
  const wmo12 = rng.chance(wmoChance({ wmoBefore: x.wmo > 0, healthCount, participatieplek: arm === ARM.participatieplek })) ? 1 : 0;
  const schulden12 = rng.chance(debtChance({ debt: Boolean(x.debt), schuldhulp: arm === ARM.schuldhulp, werk })) ? 1 : 0;
  const secondary = secondaryTruth({
    mu,
    hoursMean: meanHours,
    wmoBefore: x.wmo > 0,
    healthCount,
    debt: Boolean(x.debt),
    arms: { participatieplek: ARM.participatieplek, schuldhulp: ARM.schuldhulp },
  });

  return {
    bsn,
    files: {
      personen: [
        bsn,
        formatIsoDate(birth),
        SEX_CODE[SEXES[sex] as (typeof SEXES)[number]],
        ORIGIN_CODE[ORIGINS[origin] as (typeof ORIGINS)[number]],
        postcode,
      ],
      huishoudens: [
        bsn,
        HOUSEHOLD_CODE[HOUSEHOLDS[household] as (typeof HOUSEHOLDS)[number]],
        String(children),
        parent ? String(youngestYear) : "",
      ],
      opleiding: [
        bsn,
        EDUCATION_CODE[EDUCATION_LEVELS[education] as (typeof EDUCATION_LEVELS)[number]],
        LANGUAGE_LEVELS[language] as string,
      ],
      dienstverbanden,
      uitkeringen,
      medicatie,
      schulden,
      wmo,
      trajecten: [bsn, trajectId, CODE_OF_INTERVENTION[INTERVENTIONS[arm] as (typeof INTERVENTIONS)[number]], formatIsoDate(T)],
      uitkomsten: [bsn, trajectId, String(werk), String(uren), String(uitstroom), String(wmo12), String(schulden12)],
    },
    features: f,
    mu,
    secondary,
    arm,
    werk,
    propensity,
    rijbewijs,
  };
}

/** A fresh fake BSN (9 digits, first digit 1-9, passes the elfproef). */
export function fakeBsn(rng: Rng): string {
  for (;;) {
    const digits: number[] = [rng.int(1, 9)];
    for (let i = 1; i < 8; i += 1) digits.push(rng.int(0, 9));
    let sum = 0;
    for (let i = 0; i < 8; i += 1) sum += (9 - i) * (digits[i] as number);
    const last = sum % 11;
    if (last === 10) continue;
    digits.push(last);
    return digits.join("");
  }
}
