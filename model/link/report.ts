import { z } from "zod";
import { QUARANTINE_REASONS } from "./rows.js";

const count = z.number().int().min(0);

/** How a source file was read (detected, or set by the delivery profile). */
export const SourceFormatSchema = z.object({
  path: z.string(),
  encoding: z.enum(["utf-8", "windows-1252"]),
  bom: z.boolean(),
  lineEnding: z.enum(["crlf", "lf"]),
  delimiter: z.enum([",", ";", "\t", "|"]),
  dateFormat: z.enum(["yyyy-mm-dd", "yyyymmdd", "dd-mm-yyyy", "d-m-yyyy"]),
  decimalSeparator: z.enum([".", ","]),
  fromProfile: z.array(z.enum(["delimiter", "encoding", "dateFormat"])),
});

export const FileReportSchema = z.object({
  /** False when the file was not in the delivery (its features are then missing). */
  present: z.boolean(),
  rowsRead: count,
  /** Rows that passed validation. */
  valid: count,
  /** Rows that went into the analysis table. */
  linked: count,
  /** Valid rows that could not be used (no trajectory, unknown trajectory, no outcome, suppressed). */
  unlinked: count,
  quarantined: z.partialRecord(z.enum(QUARANTINE_REASONS), count),
  /** How the file was read; absent when the file was not delivered. */
  format: SourceFormatSchema.optional(),
  /** Columns of the delivery that we do not use: ignored (names only, never values). */
  unknownColumns: z.array(z.string()).optional(),
  /** Our column → the delivery's column name, for columns the profile renamed. */
  renamedColumns: z.record(z.string(), z.string()).optional(),
  /** Our columns whose codes the profile mapped onto ours. */
  mappedCodes: z.array(z.string()).optional(),
});
export type FileReport = z.infer<typeof FileReportSchema>;

export const LinkageReportSchema = z.object({
  createdAt: z.string(),
  files: z.record(z.string(), FileReportSchema),
  trajectories: z.object({
    read: count,
    written: count,
    withoutOutcome: count,
    withoutPerson: count,
    suppressed: count,
  }),
  persons: z.object({
    /** Distinct persons with at least one valid trajectory. */
    withTrajectory: count,
    /** Distinct persons in personen.csv without any trajectory. */
    withoutTrajectory: count,
  }),
  features: z.record(z.string(), z.object({ missingShare: z.number().min(0).max(1) })),
  quasiIdentifiers: z.object({
    columns: z.array(z.string()),
    minGroupSize: count,
    smallestGroupBefore: count,
    smallestGroupAfter: count,
    steps: z.array(z.string()),
    rowsAuditSuppressed: count,
    rowsSuppressed: count,
  }),
  withTruth: z.boolean(),
  outputs: z.array(z.string()),
});
export type LinkageReport = z.infer<typeof LinkageReportSchema>;
