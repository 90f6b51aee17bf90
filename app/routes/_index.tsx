import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getUser } from "~/utils/auth.server";
import { HOME_BY_ROLE } from "~/utils/roles";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return redirect(user ? HOME_BY_ROLE[user.role] : "/login");
}
