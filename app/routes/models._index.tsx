import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listModelVersions } from "~/models/model-version.server";
import { requireRole } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Modellen — Trajectwijzer" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["datascientist", "admin"]);
  const versions = await listModelVersions();
  return {
    versions: versions.map((v) => ({
      id: v.id,
      status: v.status,
      createdAt: v.createdAt.toISOString().slice(0, 16).replace("T", " "),
      activatedAt: v.activatedAt?.toISOString().slice(0, 16).replace("T", " ") ?? null,
    })),
  };
}

export default function Models() {
  const { versions } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t.models}</h1>
      <table data-testid="models">
        <thead>
          <tr>
            <th scope="col">{t.modelVersion}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.dateLabel}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td>{v.id}</td>
              <td>{v.status}</td>
              <td>{v.activatedAt ?? v.createdAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
