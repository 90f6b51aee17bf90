import path from "node:path";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";

// Prisma 6.19's JavaScript schema engine runs migrations through the driver adapter,
// so the CLI never downloads a native engine (TOOLCHAIN.md).
const url = process.env.DATABASE_URL ?? `file:${path.resolve("data/trajectwijzer.db")}`;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaLibSQL({ url });
  },
});
