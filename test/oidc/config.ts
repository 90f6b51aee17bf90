/**
 * The local OpenID Connect provider of the end-to-end tests: one client (the app) and two
 * accounts. Shared by test/oidc/provider.ts, playwright.config.ts and test/e2e/oidc.spec.ts.
 */
// Next to the app's port (E2E_PORT, default 3100) so parallel runs on one machine do not collide; E2E_OIDC_PORT overrides.
export const OIDC_TEST_PORT = Number(process.env.E2E_OIDC_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
export const OIDC_TEST_ISSUER = `http://localhost:${OIDC_TEST_PORT}`;
export const OIDC_TEST_CLIENT = {
  clientId: "trajectwijzer-e2e",
  // A test-only secret for a provider that lives for one test run on localhost.
  clientSecret: "e2e-only-client-secret-0123456789",
};
export const OIDC_TEST_ROLE_CLAIM = "roles";
export const OIDC_TEST_ROLE_MAP = "tw-klantmanager:caseworker,tw-manager:manager,tw-ds:datascientist,tw-admin:admin";

/** Login names at the provider (its development login form accepts any password). */
export const OIDC_TEST_ACCOUNTS = {
  caseworker: { login: "kim.klantmanager", name: "Kim Klantmanager", roles: ["tw-klantmanager", "intranet-user"] },
  unmapped: { login: "sam.zonderrol", name: "Sam Zonderrol", roles: ["intranet-user"] },
} as const;

/** The app's environment for OIDC against this provider, given the app's own base URL. */
export function oidcTestEnv(appBaseUrl: string): Record<string, string> {
  return {
    OIDC_ISSUER: OIDC_TEST_ISSUER,
    OIDC_CLIENT_ID: OIDC_TEST_CLIENT.clientId,
    OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.clientSecret,
    OIDC_REDIRECT_URI: `${appBaseUrl}/auth/oidc/callback`,
    OIDC_ROLE_CLAIM: OIDC_TEST_ROLE_CLAIM,
    OIDC_ROLE_MAP: OIDC_TEST_ROLE_MAP,
  };
}
