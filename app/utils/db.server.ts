import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";

// One client per process; kept on globalThis so dev-server reloads do not open a new pool each time.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function getDb(): PrismaClient {
  if (!globalForPrisma.prisma) {
    globalForPrisma.prisma = new PrismaClient({ adapter: new PrismaLibSQL({ url: getEnv().DATABASE_URL }) });
  }
  return globalForPrisma.prisma;
}
