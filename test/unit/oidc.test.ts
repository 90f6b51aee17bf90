import { verify } from "@node-rs/argon2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OIDC_VARS, parseEnv, RoleMapSchema } from "~/utils/env.server";
import { mapRole, OIDC_ONLY_PASSWORD_HASH, oidcUsername } from "~/utils/auth/oidc.server";
import { ROLES } from "~/utils/auth/roles";

const BASE = { SESSION_SECRET: "s".repeat(32), PSEUDONYM_KEY: "p".repeat(32) };
const OIDC = {
  OIDC_ISSUER: "https://login.gemeente.example/realms/staff",
  OIDC_CLIENT_ID: "trajectwijzer",
  OIDC_CLIENT_SECRET: "client-secret",
  OIDC_REDIRECT_URI: "https://trajectwijzer.gemeente.example/auth/oidc/callback",
  OIDC_ROLE_CLAIM: "roles",
  OIDC_ROLE_MAP: "tw-klantmanager:caseworker,tw-manager:manager,tw-ds:datascientist,tw-admin:admin",
};
const ROLE_MAP = RoleMapSchema.parse(OIDC.OIDC_ROLE_MAP);

function configError(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the configuration to be refused");
}

describe("OIDC configuration", () => {
  it("is off when no OIDC variable is set, or only empty ones", () => {
    expect(parseEnv(BASE).oidc).toBeNull();
    expect(parseEnv({ ...BASE, OIDC_ISSUER: "", OIDC_CLIENT_ID: "" }).oidc).toBeNull();
  });

  it("is on with all six, the role map parsed in order", () => {
    expect(parseEnv({ ...BASE, ...OIDC }).oidc).toEqual({
      issuer: OIDC.OIDC_ISSUER,
      clientId: "trajectwijzer",
      clientSecret: "client-secret",
      redirectUri: OIDC.OIDC_REDIRECT_URI,
      roleClaim: "roles",
      roleMap: [
        { value: "tw-klantmanager", role: "caseworker" },
        { value: "tw-manager", role: "manager" },
        { value: "tw-ds", role: "datascientist" },
        { value: "tw-admin", role: "admin" },
      ],
    });
  });

  it("names each missing variable when partly set, and never prints a value", () => {
    for (const missing of OIDC_VARS) {
      const message = configError({ ...BASE, ...OIDC, [missing]: undefined });
      expect(message).toContain(`${missing}: must be set`);
      expect(message).not.toContain("client-secret");
    }
    const onlyClient = configError({ ...BASE, OIDC_CLIENT_ID: "x" });
    expect(onlyClient).toContain("OIDC_ISSUER: must be set");
    expect(onlyClient).toContain("OIDC_ROLE_MAP: must be set");
  });

  it("wants https, except for a provider on this machine", () => {
    expect(configError({ ...BASE, ...OIDC, OIDC_ISSUER: "http://login.gemeente.example" })).toContain("OIDC_ISSUER: must be an https URL");
    expect(configError({ ...BASE, ...OIDC, OIDC_REDIRECT_URI: "not a url" })).toContain("OIDC_REDIRECT_URI");
    expect(parseEnv({ ...BASE, ...OIDC, OIDC_ISSUER: "http://localhost:3101" }).oidc?.issuer).toBe("http://localhost:3101");
  });

  it("refuses a role map with an unknown role, a malformed or repeated entry, or no entry", () => {
    expect(configError({ ...BASE, ...OIDC, OIDC_ROLE_MAP: "tw-boss:boss" })).toContain('unknown role "boss"');
    expect(configError({ ...BASE, ...OIDC, OIDC_ROLE_MAP: "caseworker" })).toContain("OIDC_ROLE_MAP: entry 1");
    expect(configError({ ...BASE, ...OIDC, OIDC_ROLE_MAP: ":caseworker" })).toContain("OIDC_ROLE_MAP: entry 1");
    expect(configError({ ...BASE, ...OIDC, OIDC_ROLE_MAP: "a:caseworker,a:admin" })).toContain("entry 2 repeats");
    expect(configError({ ...BASE, ...OIDC, OIDC_ROLE_MAP: " , " })).toContain("at least one");
  });

  it("reads claim values that contain colons, and spaces around entries", () => {
    expect(RoleMapSchema.parse(" urn:gemeente:tw:klantmanager : caseworker , b:admin")).toEqual([
      { value: "urn:gemeente:tw:klantmanager", role: "caseworker" },
      { value: "b", role: "admin" },
    ]);
  });

  it("parses back whatever map it is given (property)", () => {
    const value = fc.stringMatching(/^[A-Za-z0-9_.:/-]{1,20}$/).filter((v) => !v.endsWith(":"));
    const entries = fc.uniqueArray(fc.tuple(value, fc.constantFrom(...ROLES)), { minLength: 1, maxLength: 6, selector: ([v]) => v });
    fc.assert(
      fc.property(entries, (list) => {
        const text = list.map(([v, r]) => `${v}:${r}`).join(",");
        expect(RoleMapSchema.parse(text)).toEqual(list.map(([v, r]) => ({ value: v, role: r })));
      }),
    );
  });
});

describe("mapRole", () => {
  it("maps a single string claim and an array claim", () => {
    expect(mapRole("tw-klantmanager", ROLE_MAP)).toBe("caseworker");
    expect(mapRole(["intranet", "tw-ds"], ROLE_MAP)).toBe("datascientist");
  });

  it("takes the first mapping in OIDC_ROLE_MAP order when several match", () => {
    expect(mapRole(["tw-admin", "tw-klantmanager"], ROLE_MAP)).toBe("caseworker");
    expect(mapRole(["tw-admin", "tw-manager"], ROLE_MAP)).toBe("manager");
  });

  it("gives null for no mapped value, a missing claim, or values of another type", () => {
    expect(mapRole(["intranet"], ROLE_MAP)).toBeNull();
    expect(mapRole(undefined, ROLE_MAP)).toBeNull();
    expect(mapRole([], ROLE_MAP)).toBeNull();
    expect(mapRole({ "tw-admin": true }, ROLE_MAP)).toBeNull();
    expect(mapRole([1, null, "TW-ADMIN"], ROLE_MAP)).toBeNull();
    // A space-separated string is one value, not a list.
    expect(mapRole("tw-admin tw-manager", ROLE_MAP)).toBeNull();
  });
});

describe("OIDC accounts", () => {
  it("get a stable local username per issuer and subject that carries no personal data", () => {
    const name = oidcUsername("https://idp.example", "a.jansen@gemeente.example");
    expect(name).toMatch(/^oidc-[0-9a-f]{20}$/);
    expect(oidcUsername("https://idp.example", "a.jansen@gemeente.example")).toBe(name);
    expect(oidcUsername("https://other.example", "a.jansen@gemeente.example")).not.toBe(name);
    // It fits the local username rule, so the admin page lists it like any other.
    expect(name).toMatch(/^[a-z0-9._-]{2,64}$/);
  });

  it("cannot log in with a password: argon2 verify fails on the marker", async () => {
    const valid = await verify(OIDC_ONLY_PASSWORD_HASH, "").catch(() => false);
    expect(valid).toBe(false);
    expect(await verify(OIDC_ONLY_PASSWORD_HASH, OIDC_ONLY_PASSWORD_HASH).catch(() => false)).toBe(false);
  });
});

describe("when OIDC is not configured", () => {
  it("the login page offers no OIDC login and its routes are not found", async () => {
    const { useTestDatabase } = await import("../setup/test-db");
    await useTestDatabase();
    for (const name of OIDC_VARS) delete process.env[name];
    const login = await import("~/routes/login");
    const start = await import("~/routes/auth.oidc");
    const callback = await import("~/routes/auth.oidc_.callback");
    const args = (path: string) => ({ request: new Request(`http://localhost${path}`), params: {}, context: {} });
    expect(await login.loader(args("/login"))).toEqual({ oidc: false });
    await expect(start.loader(args("/auth/oidc"))).rejects.toMatchObject({ status: 404 });
    await expect(callback.loader(args("/auth/oidc/callback?code=x&state=y"))).rejects.toMatchObject({ status: 404 });
  });
});
