import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { audit } from "~/utils/audit.server";
import { getUser } from "~/utils/auth/auth.server";
import { logoutRedirect } from "~/utils/auth/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request);
  if (user) await audit({ actorId: user.id, action: "logout", object: `user:${user.id}`, result: "ok", request });
  return logoutRedirect(request);
}

export async function loader() {
  return redirect("/");
}
