import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// PostgreSQL twin of /prisma.config.ts: `prisma migrate deploy --config prisma/postgresql/prisma.config.ts`
// applies prisma/postgresql/migrations through the pg driver adapter (no native engine, TOOLCHAIN.md).
// The schema beside this file is derived from prisma/schema.prisma by scripts/prisma-postgres.ts.

// Prisma 6.19's JS schema engine reads PostgreSQL's catalogs, whose `name` and `"char"` columns
// @prisma/adapter-pg refuses ("Column type 'name' could not be deserialized", prisma/orm#27403).
// Their values arrive as plain strings, so this connection reports them as text. Migrations only:
// the app's own tables have no such columns.
const CATALOG_TEXT_TYPES = new Set([18, 19]); // "char", name
const TEXT = 25;

function catalogTypesAsText(result: unknown): unknown {
  const fields = (result as { fields?: unknown } | null)?.fields;
  if (Array.isArray(fields)) {
    for (const field of fields as { dataTypeID: number }[]) if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) field.dataTypeID = TEXT;
  }
  return result;
}

class MigrateClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    (this as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      // pg.Pool#query calls back; the adapter's transactions await the promise.
      const callback = args.at(-1);
      if (typeof callback === "function") {
        return query(...args.slice(0, -1), (error: unknown, result: unknown) => callback(error, error ? result : catalogTypesAsText(result)));
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(catalogTypesAsText) : result;
    };
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url?.startsWith("postgres")) throw new Error("DATABASE_URL must be a postgres:// or postgresql:// URL");
    return new PrismaPg(new pg.Pool({ connectionString: url, Client: MigrateClient }));
  },
});
