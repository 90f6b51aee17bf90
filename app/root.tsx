import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getActiveModelVersion } from "~/models/model-version.server";
import { getUser } from "~/utils/auth/auth.server";
import { MESSAGES, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { useNonce } from "~/utils/nonce";
import { NAV_BY_ROLE } from "~/utils/auth/roles";

const NAV_TARGETS = { caseload: "/clients", dashboard: "/dashboard", allocation: "/allocation", audit: "/audit", settings: "/settings", users: "/admin/users", models: "/models" } as const;
const NAV_LABELS = { caseload: "navCaseload", dashboard: "navDashboard", allocation: "navAllocation", audit: "navAudit", settings: "navSettings", users: "navUsers", models: "navModels" } as const;
import utrechtHtmlHref from "@utrecht/component-library-css/dist/html.css?url";
import stylesHref from "./styles/app.css?url";

const MODEL_BANNER_ROLES = new Set(["admin", "datascientist"]);

/** Default title, also for error pages (a page without a title fails WCAG 2.4.2). */
export const meta: MetaFunction = () => [{ title: "Trajectwijzer" }];

export const links: LinksFunction = () => [
  // NL Design System: Utrecht's styles for semantic HTML first, our refinements after.
  { rel: "stylesheet", href: utrechtHtmlHref },
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, lang] = await Promise.all([getUser(request), getLang(request)]);
  // Staff who can act on it are told on every page that nothing can be advised yet (production mode starts empty).
  const noModel = user && MODEL_BANNER_ROLES.has(user.role) ? (await getActiveModelVersion()) === null : false;
  return { user: user && { displayName: user.displayName, role: user.role }, lang, noModel };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const lang = data?.lang ?? "nl";
  return (
    <html lang={lang} className="utrecht-html">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {MESSAGES[lang].skipToContent}
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const location = useLocation();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        {t.appName}
      </Link>
      <nav aria-label={t.appName}>
        <Form method="post" action="/lang" className="inline-form">
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" name="lang" value={t.lang === "nl" ? "en" : "nl"} className="link-button" lang={t.lang === "nl" ? "en" : "nl"}>
            {t.otherLanguage}
          </button>
        </Form>
        {data.user ? (
          <>
            {NAV_BY_ROLE[data.user.role].map((item) => (
              <Link key={item} to={NAV_TARGETS[item]}>
                {t[NAV_LABELS[item]]}
              </Link>
            ))}
            <Link to="/account" className="user-name">
              {data.user.displayName}
            </Link>
            <Form method="post" action="/logout" className="inline-form">
              <button type="submit" className="link-button">
                {t.logout}
              </button>
            </Form>
          </>
        ) : null}
      </nav>
    </header>
  );
}

function NoModelBanner() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  if (!data.noModel) return null;
  return (
    <div className="page-banner" role="status">
      <p>{t.noModelBanner}</p>
    </div>
  );
}

export default function App() {
  return (
    <>
      <Header />
      <NoModelBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  // Never show a stack trace or internal path: a status and a plain message only.
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A request the server could not read (readForm's 400 and 415) says what to send instead.
  const unreadable = isRouteErrorResponse(error) && (status === 400 || status === 415) && typeof error.data === "string" ? error.data : null;
  const message = unreadable ?? (status === 403 ? t.forbidden : status === 404 ? t.notFound : t.somethingWrong);
  return (
    <main id="main" className="page">
      <h1>{status}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t.appName}</Link>
      </p>
    </main>
  );
}
