import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { parseLang } from "~/utils/i18n";
import { langCookie } from "~/utils/lang.server";
import { safeRedirect } from "~/utils/auth/safe-redirect";
import { readForm } from "~/utils/forms/form.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = parseLang(String(form.get("lang") ?? ""));
  const to = safeRedirect(String(form.get("redirectTo") ?? "/"), "/");
  return redirect(to, { headers: { "Set-Cookie": await langCookie.serialize(lang) } });
}

export async function loader() {
  return redirect("/");
}
