import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// PostgreSQL twin of /prisma.config.ts: `prisma migrate deploy --config prisma/postgresql/prisma.config.ts`
// applies prisma/postgresql/migrations through the pg driver adapter (no native engine, TOOLCHAIN.md).
// The schema beside this file is derived from prisma/schema.prisma by scripts/prisma-postgres.ts.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url?.startsWith("postgres")) throw new Error("DATABASE_URL must be a postgres:// or postgresql:// URL");
    return new PrismaPg({ connectionString: url });
  },
});
