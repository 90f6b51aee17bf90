import { z } from "zod";
import { RecommendationResultSchema } from "../../../model/recommendation";
import { API_RATE_LIMIT_PER_MINUTE, API_VERSION, MAX_BODY_BYTES } from "./api.server";
import { type Catalogue, defaultCatalogue } from "../../../model/config/municipality";
import {
  apiSchemasFor,
  ClientListResponseSchema,
  ClientRecommendationResponseSchema,
  CreatedClientResponseSchema,
  CreatedDecisionResponseSchema,
  DecisionListResponseSchema,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  ProblemSchema,
} from "./api-schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate and answer
 * with (app/utils/api/api-schemas.ts): requests on their input side, responses on their output side.
 */
const schemaOf = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any" });

const versionHeader = { "API-Version": { $ref: "#/components/headers/API-Version" } };

function body(schema: z.ZodType) {
  return { required: true, content: { "application/json": { schema: schemaOf(schema, "input") } } };
}
function ok(description: string, schema: z.ZodType) {
  return { description, headers: versionHeader, content: { "application/json": { schema: schemaOf(schema, "output") } } };
}
function problemResponse(description: string, extraHeaders: Record<string, unknown> = {}) {
  return { description, headers: { ...versionHeader, ...extraHeaders }, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
}

const authErrors = {
  "401": problemResponse("Missing, unknown or revoked token"),
  "403": problemResponse("The token's account may not use this endpoint"),
  "429": problemResponse(`More than ${API_RATE_LIMIT_PER_MINUTE} requests per minute with this token`, {
    "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } },
  }),
};
const bodyErrors = {
  "400": problemResponse("Invalid body: `invalidParams` names each field and what is wrong"),
  "413": problemResponse(`The body is larger than ${MAX_BODY_BYTES} bytes`),
  "415": problemResponse("The body is not application/json"),
};
const queryError = { "400": problemResponse("Invalid query: `invalidParams` names each parameter") };
const noModel = { "503": problemResponse("No model is active, or the active model cannot be served") };
const clientId = { name: "clientId", in: "path", required: true, schema: { type: "string" } };
const paging = [
  { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
  { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT } },
];

export function openApiDocument(catalogue: Catalogue = defaultCatalogue()) {
  const requests = apiSchemasFor(catalogue);
  return {
    openapi: "3.1.0",
    info: {
      title: "Trajectwijzer API",
      version: API_VERSION,
      description:
        "Recommendations for re-integration trajectories, following the Dutch REST API Design Rules. " +
        "Authenticate with `Authorization: Bearer <token>`; tokens are created and revoked by an administrator. " +
        "Every response carries `API-Version` and `Cache-Control: no-store`; errors are RFC 9457 problems (`application/problem+json`). " +
        `Bodies are application/json, at most ${MAX_BODY_BYTES} bytes; each token may make ${API_RATE_LIMIT_PER_MINUTE} requests per minute (per server instance).`,
      license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      headers: {
        "API-Version": { description: "The full version of this API", schema: { type: "string", example: API_VERSION } },
      },
      schemas: { Problem: schemaOf(ProblemSchema, "output") },
    },
    security: [{ bearer: [] }],
    paths: {
      "/openapi.json": {
        get: {
          summary: "This document",
          security: [],
          responses: { "200": { description: "The OpenAPI document", headers: versionHeader, content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
      "/recommendations": {
        post: {
          summary: "Ranked, explained trajectories for a profile (nothing is stored)",
          requestBody: body(requests.recommendationRequest),
          responses: { "200": ok("Recommendation", RecommendationResultSchema), ...bodyErrors, ...authErrors, ...noModel },
        },
      },
      "/clients": {
        get: {
          summary: "The token's case worker's own clients, a page at a time (`_links.next` / `_links.prev`)",
          parameters: paging,
          responses: { "200": ok("A page of clients", ClientListResponseSchema), ...queryError, ...authErrors },
        },
        post: {
          summary: "Register a client (the reference is stored only as a keyed pseudonym)",
          requestBody: body(requests.createClientRequest),
          responses: {
            "201": ok("Created", CreatedClientResponseSchema),
            ...bodyErrors,
            ...authErrors,
            "409": problemResponse("A client with this reference exists"),
          },
        },
      },
      "/clients/{clientId}/recommendation": {
        get: {
          summary: "Recommendation for an own client; recorded with the model version",
          parameters: [clientId],
          responses: {
            "200": ok("Recommendation", ClientRecommendationResponseSchema),
            ...authErrors,
            "404": problemResponse("Not found (or not this case worker's client)"),
            ...noModel,
          },
        },
      },
      "/clients/{clientId}/decisions": {
        get: {
          summary: "Every version of the decisions, newest first, a page at a time",
          parameters: [clientId, ...paging],
          responses: { "200": ok("Decisions", DecisionListResponseSchema), ...queryError, ...authErrors, "404": problemResponse("Not found") },
        },
        post: {
          summary: "Record the chosen trajectory; a reason is required when it differs from the top recommendation",
          parameters: [clientId],
          requestBody: body(requests.decisionRequest),
          responses: {
            "201": ok("Recorded", CreatedDecisionResponseSchema),
            ...bodyErrors,
            ...authErrors,
            "404": problemResponse("Not found"),
            "409": problemResponse("The client changed since `version`"),
          },
        },
      },
    },
  };
}
