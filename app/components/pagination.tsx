import { Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";

/** Previous/next links that keep the current filters; rendered only when there is more than one page. */
export function Pagination({ page, pages, filters }: { page: number; pages: number; filters: Record<string, string> }) {
  const t = useT();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
    params.set("page", String(p));
    return `?${params.toString()}`;
  };
  return (
    <nav aria-label={t.pagination} className="pagination">
      {page > 1 ? <Link to={href(page - 1)}>{t.previous}</Link> : null}{" "}
      <span>{t.pageOf.replace("{page}", String(page)).replace("{pages}", String(pages))}</span>{" "}
      {page < pages ? <Link to={href(page + 1)}>{t.next}</Link> : null}
    </nav>
  );
}
