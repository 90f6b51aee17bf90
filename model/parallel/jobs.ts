import { z } from "zod";
import { gatherRows } from "../learners/cross-fit.js";
import { LEARNER_KINDS, type TrainingData } from "../learners/learner.js";
import { fitHeldOut, type HeldOutFit, type HeldOutKind } from "../learners/select.js";
import { disposeEnsemble, fitMember, loadEnsemble, predictEnsemble, trainEnsemble } from "../network/ensemble.js";
import { type NamedWeights, NetworkConfigSchema } from "../network/tarnet.js";
import { EncoderSchema } from "../table/encoder.js";

/**
 * The independent, seeded pieces of training that may run on another thread: plain data in
 * (typed arrays, settings, seed), plain arrays out. The same `runJob` runs them in this thread
 * or on a worker, so a result does not depend on where it was computed.
 *   network-member      one ensemble member: the network fitted on its (bootstrap-weighted) rows;
 *   network-held-out    the network inside the learners' validation: an ensemble fitted on some
 *                       folds, predicting the held-out fold (held × arms);
 *   learner-held-out    the same for a group of linear, S- and DR-learners (fitHeldOut), each
 *                       with the seconds its fit took.
 */
const Float32Schema = z.custom<Float32Array>((v) => v instanceof Float32Array, "a Float32Array");
const Rows = z.custom<Int32Array>((v) => v instanceof Int32Array, "an Int32Array");
const DataSchema = z.object({ x: Float32Schema, inputs: z.number().int().positive(), treatment: Rows, outcome: Float32Schema });
const OutcomeTypeSchema = z.enum(["binary", "continuous"]);

const NetworkMemberJobSchema = z.object({
  kind: z.literal("network-member"),
  data: DataSchema,
  arms: z.number().int().min(2),
  outcomeType: OutcomeTypeSchema,
  trainRows: Rows,
  rowWeights: Float32Schema.optional(),
  validationRows: Rows,
  config: NetworkConfigSchema,
  seed: z.number(),
});

const HeldOutCommon = {
  data: DataSchema,
  fit: Rows,
  held: Rows,
  arms: z.array(z.string()).min(2),
  control: z.string(),
  outcomeType: OutcomeTypeSchema,
  seed: z.number(),
};

const NetworkHeldOutJobSchema = z.object({
  kind: z.literal("network-held-out"),
  ...HeldOutCommon,
  config: NetworkConfigSchema,
  members: z.number().int().min(1),
  validationShare: z.number().gt(0).lt(1),
});

const LearnerHeldOutJobSchema = z.object({
  kind: z.literal("learner-held-out"),
  ...HeldOutCommon,
  /** Fitted together on the fold (heldOutGroups: the DR learners and t-linear share a first stage). */
  learners: z.array(z.enum(LEARNER_KINDS).refine((k) => k !== "network" && k !== "stack", "the network has a job of its own, the stack none")).min(1),
  encoder: EncoderSchema,
});

export const TrainingJobSchema = z.discriminatedUnion("kind", [NetworkMemberJobSchema, NetworkHeldOutJobSchema, LearnerHeldOutJobSchema]);
export type TrainingJob = z.infer<typeof TrainingJobSchema>;
export type NetworkMemberJob = z.infer<typeof NetworkMemberJobSchema>;

export type MemberFit = { weights: NamedWeights; epochs: number; bestEpoch: number; validationLoss: number };
export type LearnerHeldOutJob = z.infer<typeof LearnerHeldOutJobSchema>;
export type JobResult<J extends TrainingJob> = J extends NetworkMemberJob ? MemberFit : J extends LearnerHeldOutJob ? HeldOutFit[] : Float64Array;
/** What a running job reports: a network's epoch and validation loss. */
export type JobProgress = { epoch: number; loss: number };

export function runJob<J extends TrainingJob>(job: J, onProgress?: (p: JobProgress) => void): JobResult<J> {
  return runAny(job, onProgress) as JobResult<J>;
}

function runAny(job: TrainingJob, onProgress?: (p: JobProgress) => void): MemberFit | Float64Array | HeldOutFit[] {
  switch (job.kind) {
    case "network-member":
      return fitMember(job, onProgress);
    case "network-held-out":
      return networkHeldOut(job);
    case "learner-held-out":
      return fitHeldOut(job, job.learners as HeldOutKind[], job.fit, job.held);
  }
}

/** Rows `rows` of the data as a table of their own. */
function subset(data: TrainingData, rows: Int32Array): TrainingData {
  return {
    x: gatherRows(data.x, data.inputs, rows),
    inputs: data.inputs,
    treatment: Int32Array.from(rows, (i) => data.treatment[i] ?? 0),
    outcome: Float32Array.from(rows, (i) => data.outcome[i] ?? 0),
  };
}

/** An ensemble trained on the fitting folds (its own early-stopping split within them), predicting the held-out fold. */
function networkHeldOut(job: z.infer<typeof NetworkHeldOutJobSchema>): Float64Array {
  const { state } = trainEnsemble({
    data: subset(job.data, job.fit),
    arms: job.arms,
    control: job.control,
    outcomeType: job.outcomeType,
    config: job.config,
    members: job.members,
    seed: job.seed,
    validationShare: job.validationShare,
  });
  const ensemble = loadEnsemble(state);
  try {
    return Float64Array.from(predictEnsemble(ensemble, gatherRows(job.data.x, job.data.inputs, job.held), job.held.length).mean);
  } finally {
    disposeEnsemble(ensemble);
  }
}
