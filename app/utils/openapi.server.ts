import { z } from "zod";
import { RecommendationResultSchema } from "../../model/recommendation";
import { CreateClientRequestSchema, DecisionRequestSchema, RecommendationRequestSchema } from "./api-schemas";

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with. */
const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

const ErrorSchema = z.object({
  error: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

function body(schema: z.ZodType) {
  return { required: true, content: { "application/json": { schema: json(schema) } } };
}
function ok(description: string, schema?: z.ZodType) {
  return { description, ...(schema ? { content: { "application/json": { schema: json(schema) } } } : {}) };
}
const errors = {
  "400": ok("Invalid body or query: `details` names each field and what is wrong", ErrorSchema),
  "401": ok("Missing, unknown or revoked token", ErrorSchema),
  "403": ok("The token's account may not use this endpoint", ErrorSchema),
};
const clientId = { name: "clientId", in: "path", required: true, schema: { type: "string" } };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Trajectwijzer API",
      version: "1.0.0",
      description:
        "Recommendations for re-integration trajectories. Authenticate with `Authorization: Bearer <token>`; tokens are created and revoked by an administrator.",
    },
    servers: [{ url: "/api/v1" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/recommendations": {
        post: {
          summary: "Ranked, explained trajectories for a profile (nothing is stored)",
          requestBody: body(RecommendationRequestSchema),
          responses: { "200": ok("Recommendation", RecommendationResultSchema), ...errors, "503": ok("No active model", ErrorSchema) },
        },
      },
      "/clients": {
        get: {
          summary: "The token's case worker's own clients",
          parameters: [{ name: "page", in: "query", schema: { type: "integer", minimum: 1 } }],
          responses: { "200": ok("A page of clients"), ...errors },
        },
        post: {
          summary: "Register a client (the reference is stored only as a keyed pseudonym)",
          requestBody: body(CreateClientRequestSchema),
          responses: { "201": ok("Created"), ...errors, "409": ok("A client with this reference exists", ErrorSchema) },
        },
      },
      "/clients/{clientId}/recommendation": {
        get: {
          summary: "Recommendation for an own client; recorded with the model version",
          parameters: [clientId],
          responses: { "200": ok("Recommendation"), ...errors, "404": ok("Not found (or not this case worker's client)", ErrorSchema) },
        },
      },
      "/clients/{clientId}/decisions": {
        get: { summary: "Every version of the decisions, newest first", parameters: [clientId], responses: { "200": ok("Decisions"), ...errors } },
        post: {
          summary: "Record the chosen trajectory; a reason is required when it differs from the top recommendation",
          parameters: [clientId],
          requestBody: body(DecisionRequestSchema),
          responses: { "201": ok("Recorded"), ...errors, "404": ok("Not found", ErrorSchema), "409": ok("The client changed since `version`", ErrorSchema) },
        },
      },
    },
  };
}
