import { z } from "zod";

/**
 * What an API token may do. Each scope includes the ones before it:
 *   read       list the caseload and read a client's stored advice
 *   recommend  also register clients and ask for advice
 *   decide     also record decisions
 */
export const API_SCOPES = ["read", "recommend", "decide"] as const;
export const ApiScopeSchema = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScopeSchema>;

/** Whether a token with scope `granted` may do what needs `needed` (an unknown stored scope allows nothing). */
export function scopeAllows(granted: string, needed: ApiScope): boolean {
  const parsed = ApiScopeSchema.safeParse(granted);
  return parsed.success && API_SCOPES.indexOf(parsed.data) >= API_SCOPES.indexOf(needed);
}
