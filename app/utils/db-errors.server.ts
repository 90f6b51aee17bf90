/**
 * Prisma's error codes for constraint violations, read the same way on SQLite and PostgreSQL
 * (both report them as PrismaClientKnownRequestError with `code`).
 */
export type ConstraintViolation = "unique" | "foreign_key";

export function constraintViolation(error: unknown): ConstraintViolation | null {
  if (typeof error !== "object" || error === null || !("code" in error)) return null;
  if (error.code === "P2002") return "unique";
  if (error.code === "P2003") return "foreign_key";
  return null;
}
