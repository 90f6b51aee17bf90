import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "~/generated/prisma-pg/client";
import { getEnv } from "./env.server";

// One client per process; kept on globalThis so dev-server reloads do not open a new pool each time.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** Whether a DATABASE_URL points at PostgreSQL (else SQLite through libsql). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The client for DATABASE_URL: SQLite (file:/libsql:) or PostgreSQL (postgres://, postgresql://).
 * Both are generated from prisma/schema.prisma (the pg one through scripts/prisma-postgres.ts), so their
 * model API is the same; callers see the SQLite client's type, the narrower of the two (e.g. no
 * `mode: "insensitive"`), so a query that type-checks runs on both.
 */
export function createDbClient(url: string): PrismaClient {
  if (isPostgresUrl(url)) return new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaClient;
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= createDbClient(getEnv().DATABASE_URL);
  return globalForPrisma.prisma;
}
