export const CLIENT_STATUSES = ["intake", "active", "closed"] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
