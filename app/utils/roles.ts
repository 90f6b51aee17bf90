import { z } from "zod";

export const ROLES = ["caseworker", "manager", "datascientist", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Where each role lands after login. */
export const HOME_BY_ROLE: Record<Role, string> = {
  caseworker: "/clients",
  manager: "/clients",
  datascientist: "/clients",
  admin: "/clients",
};
