import { z } from "zod";
import { INTERVENTIONS } from "../../model/catalogue";
import { ClientProfileSchema } from "../../model/reintegration";
import { DEVIATION_REASONS } from "./decision-form";
import { REFERENCE_PATTERN } from "./intake-form";

/** Request bodies of the JSON API; the OpenAPI document is generated from these same schemas. */
export const RecommendationRequestSchema = z.object({ profile: ClientProfileSchema }).strict();

export const CreateClientRequestSchema = z
  .object({
    reference: z.string().regex(REFERENCE_PATTERN).describe("Municipal case number; stored only as a keyed pseudonym"),
    profile: ClientProfileSchema,
  })
  .strict();

export const DecisionRequestSchema = z
  .object({
    version: z.number().int().min(0).describe("The client's version as last read; a stale version gets 409"),
    recommendationId: z.string().min(1).max(64),
    chosenArm: z.enum(INTERVENTIONS),
    reasonCode: z.enum(DEVIATION_REASONS).optional(),
    reasonText: z.string().max(1000).optional(),
  })
  .strict();

export const ListQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
