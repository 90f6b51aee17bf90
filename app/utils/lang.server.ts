import { createCookie } from "@remix-run/node";
import { type Lang, parseLang } from "./i18n";

export const langCookie = createCookie("tw_lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

export async function getLang(request: Request): Promise<Lang> {
  const value: unknown = await langCookie.parse(request.headers.get("Cookie"));
  return parseLang(typeof value === "string" ? value : null);
}
