import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A fingerprint of everything the production build is made from, so that `npm start` rebuilds only
 * when it changed. The container build stamps its build with it (scripts/container-build.sh), so a
 * container starts without building. Run directly, it prints the fingerprint.
 */
export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "node_modules") walk(full);
      } else if (!entry.name.endsWith(".test.ts")) {
        hash.update(full).update(String(statSync(full).size)).update(readFileSync(full));
      }
    }
  };
  for (const dir of ["app", "model"]) walk(dir);
  for (const file of ["vite.config.ts", "package-lock.json", "prisma/schema.prisma"]) if (existsSync(file)) hash.update(readFileSync(file));
  return hash.digest("hex");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.stdout.write(`${sourceFingerprint()}\n`);
}
