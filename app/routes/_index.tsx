import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getUser } from "~/utils/auth/auth.server";
import { HOME_BY_ROLE } from "~/utils/auth/roles";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return redirect(user ? HOME_BY_ROLE[user.role] : "/login");
}
