import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionLabel, isLabelledAuditAction } from "~/utils/audit-actions";

/**
 * Every action code the code base writes to the audit log has words in the one mapping. The codes are
 * collected from the source the way they are written: `action: "x"`, `action: cond ? "x" : "y"`,
 * `action: \`prefix.${…}\``, `action: CONSTANT` (with `const CONSTANT = "x"` in the same file) and the
 * admin page's `log("x", …)` helper.
 */
const ROOTS = ["app", "scripts", "prisma"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function writtenCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const code = String.raw`"([a-z_]+(?:\.[a-z_]+)*)"`;
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const text = readFileSync(file, "utf8");
    if (!/\baudit(Cli)?\(/.test(text)) continue;
    const add = (c: string | undefined) => {
      if (c) found.set(c, file);
    };
    for (const m of text.matchAll(new RegExp(String.raw`action:\s*${code}`, "g"))) add(m[1]);
    for (const m of text.matchAll(new RegExp(String.raw`action:\s*[^,\`{}]*?\?\s*${code}\s*:\s*${code}`, "g"))) [m[1], m[2]].forEach(add);
    for (const m of text.matchAll(/action:\s*`([a-z_.]+)\$\{/g)) add(`${m[1]}x`);
    for (const m of text.matchAll(/action:\s*([A-Z][A-Z0-9_]+)\b/g)) {
      add(new RegExp(String.raw`const ${m[1]}\s*=\s*${code}`).exec(text)?.[1]);
    }
    for (const m of text.matchAll(new RegExp(String.raw`\blog\(\s*(?:${code}|[^,]*?\?\s*${code}\s*:\s*${code})`, "g"))) [m[1], m[2], m[3]].forEach(add);
  }
  return found;
}

describe("audit action labels", () => {
  it("every action code written anywhere has a plain name in Dutch and English", () => {
    const codes = writtenCodes();
    // The scan finds the codes it should (a broken scan would pass vacuously).
    for (const known of ["client.view", "recommendation.shown", "login", "user.deactivate", "account.password_failed", "user.role.x", "retention.purge", "user.activate", "api_token.revoke"]) {
      expect([...codes.keys()], known).toContain(known);
    }
    const missing = [...codes].filter(([c]) => !isLabelledAuditAction(c)).map(([c, file]) => `${c} (${file})`);
    expect(missing).toEqual([]);
  });

  it("labels are words, not codes, in both languages", () => {
    for (const [code, text] of Object.entries(AUDIT_ACTIONS)) {
      expect(text.label.nl, code).not.toMatch(/^[a-z_.]+$/);
      expect(text.label.en, code).not.toMatch(/^[a-z_.]+$/);
      expect(text.purpose.nl.length, code).toBeGreaterThan(0);
    }
    expect(auditActionLabel("recommendation.shown", "nl")).toBe("Trajectadvies getoond");
    expect(auditActionLabel("recommendation.shown", "en")).toBe("Trajectory advice shown");
    expect(auditActionLabel("user.role.manager", "en")).toBe("Role changed: Manager");
    expect(auditActionLabel("something.old", "nl")).toBe("something.old");
  });
});
