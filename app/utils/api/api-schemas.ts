import { z } from "zod";
import { profileSchemaFor } from "../../../model/config/catalogue";
import { type Catalogue, defaultCatalogue, type FeatureConfig } from "../../../model/config/municipality";
import { RecommendationResultSchema } from "../../../model/recommendation";
import { DEVIATION_REASONS, REASON_TEXT_MIN } from "../forms/decision-form";
import { profileIssueText, REFERENCE_PATTERN, refineProfile } from "../forms/intake-form";

/**
 * Request and response bodies of the JSON API. The routes validate with these schemas and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */

/**
 * The profile as JSON, in the serving model's terms (its catalogue, built at run time): first the JSON
 * types (a number for numeric and binary features, a non-empty string for categorical ones; `null` or
 * absent only where the catalogue allows "unknown"; no unknown fields), so that `"3"`, `true`, `null` or
 * `[7]` are never coerced into numbers as a form's text is; then the catalogue's profile schema for
 * values and ranges; then the contradictions the intake form refuses.
 */
function jsonTypeOf(feature: FeatureConfig, field: z.ZodType): z.ZodType {
  const base = feature.type === "categorical" ? z.string().min(1) : z.number();
  const typed: z.ZodType = feature.unknownAllowed ? base.nullable().optional() : base;
  // Documented (OpenAPI) with the values and ranges the catalogue accepts.
  const { $schema: _, ...accepted } = z.toJSONSchema(field, { io: "output", unrepresentable: "any" });
  // Per field, so that a wrong value is reported beside another field's wrong type or absence.
  return typed.meta({ ...accepted, description: feature.label.en }).pipe(field);
}

function buildApiSchemas(catalogue: Catalogue) {
  const profileSchema = profileSchemaFor(catalogue);
  const profile = z
    .strictObject(Object.fromEntries(catalogue.features.map((f) => [f.name, jsonTypeOf(f, profileSchema.shape[f.name] as z.ZodType)])))
    .pipe(profileSchema)
    .superRefine((v, ctx) => refineProfile(v, ctx));
  const arms = catalogue.trajectories.map((t) => t.key) as [string, ...string[]];
  return {
    profile,
    recommendationRequest: z.strictObject({ profile }),
    createClientRequest: z.strictObject({
      reference: z.string().regex(REFERENCE_PATTERN).describe("Municipal case number; stored only as a keyed pseudonym"),
      profile,
    }),
    decisionRequest: z.strictObject({
      version: z.number().int().min(0).describe("The client's version as last read; a stale version gets 409"),
      recommendationId: z.string().min(1).max(64),
      chosenArm: z.enum(arms).describe("One of the active model's trajectories"),
      reasonCode: z.enum(DEVIATION_REASONS).optional().describe("Required when chosenArm differs from the top recommendation"),
      reasonText: z
        .string()
        .trim()
        .min(REASON_TEXT_MIN)
        .max(1000)
        .optional()
        .describe(`Required (at least ${REASON_TEXT_MIN} characters) when chosenArm differs from the top recommendation`),
    }),
  };
}

export type ApiSchemas = ReturnType<typeof buildApiSchemas>;
const built = new WeakMap<Catalogue, ApiSchemas>();

/** The request schemas for a catalogue (the serving model's), built once per catalogue. */
export function apiSchemasFor(catalogue: Catalogue): ApiSchemas {
  let schemas = built.get(catalogue);
  if (!schemas) {
    schemas = buildApiSchemas(catalogue);
    built.set(catalogue, schemas);
  }
  return schemas;
}

/** The English text of a shared form rule's issue (its message is a key), else zod's own message. */
export function explainApiIssue(issue: z.core.$ZodIssue): string | undefined {
  return issue.code === "custom" ? profileIssueText(issue.message, "en") : undefined;
}

/** The default catalogue's request schemas (the demo's terms). */
const DEFAULT = apiSchemasFor(defaultCatalogue());
export const ApiClientProfileSchema = DEFAULT.profile;
export const RecommendationRequestSchema = DEFAULT.recommendationRequest;
export const CreateClientRequestSchema = DEFAULT.createClientRequest;
export const DecisionRequestSchema = DEFAULT.decisionRequest;

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 100;
export const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
});

// --- Responses -------------------------------------------------------------------------------------------

export const ProblemSchema = z
  .object({
    type: z.string().describe("`about:blank`: the status says what kind of problem it is"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    invalidParams: z.array(z.object({ name: z.string().describe("Dotted path of the field, e.g. profile.regio"), reason: z.string() })).optional(),
  })
  .describe("RFC 9457 problem details");

const Link = z.object({ href: z.string() });
export const PageLinksSchema = z.object({
  self: Link,
  first: Link,
  last: Link,
  prev: Link.optional().describe("Absent on the first page"),
  next: Link.optional().describe("Absent on the last page"),
});

export const ClientSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  status: z.string(),
  lastContactAt: z.string().describe("ISO 8601 date-time"),
});

export const ClientListResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  clients: z.array(ClientSummarySchema),
  _links: PageLinksSchema,
});

export const CreatedClientResponseSchema = z.object({ id: z.string(), code: z.string() });

export const ClientRecommendationResponseSchema = z.object({ clientCode: z.string(), recommendationId: z.string() }).extend(RecommendationResultSchema.shape);

export const DecisionSchema = z.object({
  id: z.string(),
  chosenArm: z.string(),
  followedAdvice: z.boolean(),
  reasonCode: z.string().nullable(),
  reasonText: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string().describe("ISO 8601 date-time"),
  recommendation: z.object({ modelVersion: z.string(), topArm: z.string().nullable() }).nullable(),
});

export const DecisionListResponseSchema = z.object({
  clientVersion: z.number().int(),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  decisions: z.array(DecisionSchema),
  _links: PageLinksSchema,
});

export const CreatedDecisionResponseSchema = z.object({ id: z.string() });

/** HAL-style links for a page of a list: self, first, last, and prev/next where they exist. */
export function pageLinks(url: URL, query: { page: number; pageSize: number }, total: number): z.infer<typeof PageLinksSchema> {
  const last = Math.max(1, Math.ceil(total / query.pageSize));
  const href = (page: number) => {
    const target = new URL(url.pathname, url.origin);
    target.searchParams.set("page", String(page));
    target.searchParams.set("pageSize", String(query.pageSize));
    return { href: `${target.pathname}${target.search}` };
  };
  return {
    self: href(query.page),
    first: href(1),
    last: href(last),
    ...(query.page > 1 ? { prev: href(Math.min(query.page - 1, last)) } : {}),
    ...(query.page < last ? { next: href(query.page + 1) } : {}),
  };
}
