import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { logoutRedirect } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  return logoutRedirect(request);
}

export async function loader() {
  return redirect("/");
}
