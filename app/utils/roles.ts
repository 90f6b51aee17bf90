import { z } from "zod";

export const ROLES = ["caseworker", "manager", "datascientist", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Where each role lands after login. */
export const HOME_BY_ROLE: Record<Role, string> = {
  caseworker: "/clients",
  manager: "/audit",
  datascientist: "/models",
  admin: "/admin/users",
};

/** Navigation per role: links a role may follow (the server checks every route itself). */
export const NAV_BY_ROLE: Record<Role, readonly ("caseload" | "audit" | "users" | "models")[]> = {
  caseworker: ["caseload"],
  manager: ["audit"],
  datascientist: ["models"],
  admin: ["users", "audit"],
};
