import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";

/**
 * The container files, checked without a container engine: what the Dockerfile and compose.yaml
 * reference exists, and the image is set up as README "Production installation" says. CI runs the
 * build stage's script itself on a clean clone (.ci/run: scripts/container-build.sh --skip-install --smoke).
 */
const dockerfile = readFileSync("Dockerfile", "utf8");
/** Instructions with their continuation lines joined, comments left out. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const all = (keyword: string) => instructions.filter((i) => i.startsWith(`${keyword} `)).map((i) => i.slice(keyword.length + 1).trim());
const packageJson = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync("package.json", "utf8")));

describe("Dockerfile", () => {
  it("is multi-stage: a build stage and a runtime stage that copies from it", () => {
    expect(all("FROM").length).toBeGreaterThanOrEqual(2);
    expect(all("FROM")[0]).toMatch(/ AS build$/);
    expect(all("COPY").some((c) => c.startsWith("--from=build "))).toBe(true);
  });

  it("runs as a non-root user, in production mode with the wasm backend, DATA_DIR on a volume", () => {
    const users = all("USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const env = all("ENV").join(" ");
    expect(env).toMatch(/TRAJECTWIJZER_DEMO=0\b/);
    expect(env).toMatch(/TRAJECTWIJZER_BACKEND=wasm\b/);
    const dataDir = /DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dataDir).toBeDefined();
    expect(all("VOLUME").join(" ")).toContain(`"${dataDir}"`);
  });

  it("checks its health on /health and starts the server with node itself", () => {
    expect(all("HEALTHCHECK").join(" ")).toMatch(/CMD .*\/health/);
    const cmd = JSON.parse(all("CMD").at(-1) ?? "[]") as string[];
    expect(cmd[0]).toBe("node");
    for (const file of cmd.filter((part) => part.endsWith(".ts"))) expect(existsSync(file), file).toBe(true);
  });

  it("runs only scripts that exist, and the build script is valid bash", () => {
    const scripts = all("RUN").flatMap((run) => run.match(/scripts\/[\w./-]+/g) ?? []);
    expect(scripts).toContain("scripts/container-build.sh");
    for (const script of scripts) expect(existsSync(script), script).toBe(true);
    execFileSync("bash", ["-n", "scripts/container-build.sh"]);
  });

  it("the build script calls files and commands that exist", () => {
    const script = readFileSync("scripts/container-build.sh", "utf8");
    for (const file of script.match(/(?:node_modules|scripts)\/[\w@./-]+\.(?:js|ts)/g) ?? []) expect(existsSync(file), file).toBe(true);
    expect(script).toContain("npm ci");
    expect(script).toContain("npm prune --omit=dev");
  });

  it("the build context leaves out data, secrets, dependencies and builds", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n").map((l) => l.trim());
    for (const entry of ["data/", ".env", "**/.env", "node_modules/", "build/", ".git"]) expect(ignored, entry).toContain(entry);
  });
});

const Service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
});
const Compose = z.object({ services: z.record(z.string(), Service), volumes: z.record(z.string(), z.null()) });

describe("compose.yaml", () => {
  const compose = Compose.parse(parse(readFileSync("compose.yaml", "utf8"), { merge: true }));
  const apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

  it("runs two app instances built from this Dockerfile and PostgreSQL with a health check", () => {
    expect(apps.length).toBe(2);
    for (const [, app] of apps) expect(existsSync(`${app.build}/Dockerfile`)).toBe(true);
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(compose.services.postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
  });

  it("gives both instances the production mode, the same database and secrets, and the same models path", () => {
    for (const [name, app] of apps) {
      const env = app.environment ?? {};
      expect(env.TRAJECTWIJZER_DEMO, name).toBe("0");
      expect(env.DATABASE_URL, name).toMatch(/^postgresql:\/\/[^@]+@postgres:5432\//);
      for (const secret of ["SESSION_SECRET", "PSEUDONYM_KEY"]) expect(env[secret], name).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
      expect(app.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(app.volumes).toContain("models:/data/models");
    }
    expect(Object.keys(compose.volumes)).toContain("models");
  });

  it("documents commands that exist", () => {
    const text = readFileSync("compose.yaml", "utf8");
    for (const [, script] of text.matchAll(/npm run (\w+)/g)) expect(packageJson.scripts, script).toHaveProperty(script ?? "");
  });
});
