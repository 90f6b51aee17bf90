import Provider from "oidc-provider";
import { z } from "zod";
import { OIDC_TEST_ACCOUNTS, OIDC_TEST_CLIENT, OIDC_TEST_ISSUER, OIDC_TEST_PORT, OIDC_TEST_ROLE_CLAIM } from "./config";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) for the end-to-end tests, on
 * localhost only. Its development login form accepts the test accounts' login names with any
 * password; then a consent screen ("Continue"). PKCE is required of every client.
 *   node --import tsx test/oidc/provider.ts   (APP_BASE_URL: where the app runs, default http://localhost:3100)
 */
const { APP_BASE_URL } = z.object({ APP_BASE_URL: z.url().default("http://localhost:3100") }).parse(process.env);

const accounts = new Map<string, { name: string; roles: readonly string[] }>(
  Object.values(OIDC_TEST_ACCOUNTS).map((a) => [a.login, { name: a.name, roles: a.roles }]),
);

const provider = new Provider(OIDC_TEST_ISSUER, {
  clients: [
    {
      client_id: OIDC_TEST_CLIENT.clientId,
      client_secret: OIDC_TEST_CLIENT.clientSecret,
      redirect_uris: [`${APP_BASE_URL}/auth/oidc/callback`],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  // The role claim is released with the profile scope, through UserInfo (as many providers do).
  claims: { openid: ["sub"], profile: ["name", OIDC_TEST_ROLE_CLAIM] },
  findAccount(_ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return { accountId: id, claims: () => ({ sub: id, name: account.name, [OIDC_TEST_ROLE_CLAIM]: [...account.roles] }) };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["e2e-only-cookie-key-0123456789abcdef"] },
});

const server = provider.listen(OIDC_TEST_PORT, () => {
  process.stdout.write(`Test OIDC provider at ${OIDC_TEST_ISSUER} for ${APP_BASE_URL}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.close(() => process.exit(0)));
