import { z } from "zod";

export const ROLES = ["caseworker", "manager", "datascientist", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Roles that may only log in locally with a second factor (TOTP); optional for the others. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ["admin", "datascientist"];

/** Where each role lands after login. */
export const HOME_BY_ROLE: Record<Role, string> = {
  caseworker: "/clients",
  manager: "/dashboard",
  datascientist: "/models",
  admin: "/admin/users",
};

/** Navigation per role: links a role may follow (the server checks every route itself). */
export const NAV_BY_ROLE: Record<Role, readonly ("caseload" | "dashboard" | "allocation" | "audit" | "settings" | "users" | "models")[]> = {
  caseworker: ["caseload"],
  manager: ["dashboard", "allocation", "audit", "settings"],
  datascientist: ["models"],
  admin: ["users", "audit", "models"],
};
