import { useRouteLoaderData } from "@remix-run/react";

/** UI text: Dutch by default, English available (chosen with the language switch, kept in a cookie). */
export const LANGS = ["nl", "en"] as const;
export type Lang = (typeof LANGS)[number];

const nl = {
  appName: "Trajectwijzer",
  skipToContent: "Naar de inhoud",
  login: "Inloggen",
  logout: "Uitloggen",
  username: "Gebruikersnaam",
  password: "Wachtwoord",
  loginFailed: "Gebruikersnaam of wachtwoord onjuist.",
  loginRateLimited: "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
  fieldRequired: "Vul dit veld in.",
  caseload: "Mijn cliënten",
  caseloadIntro: "Cliënten in uw caseload. Open een cliënt om de trajectadviezen te zien.",
  reference: "Referentie",
  status: "Status",
  lastContact: "Laatste contact",
  noClients: "Geen cliënten gevonden.",
  client: "Cliënt",
  backToCaseload: "Terug naar mijn cliënten",
  rankedTrajectories: "Trajecten op volgorde van kans op werk",
  rankingIntro:
    "Geschatte kans op betaald werk binnen 12 maanden onder elk traject, met een 80%-interval, en het verschil met reguliere begeleiding. Het advies ondersteunt uw afweging; u beslist.",
  rank: "Rang",
  trajectory: "Traject",
  chanceOfWork: "Kans op werk (12 mnd)",
  interval80: "80%-interval",
  gainOverRegular: "Verschil met regulier",
  evidence: "Onderbouwing",
  comparableClients: "vergelijkbare cliënten",
  fewComparable: "minder dan 10 vergelijkbare cliënten",
  lowEvidence: "Weinig onderbouwing",
  notEligible: "Niet van toepassing",
  modelVersion: "Modelversie",
  noModel: "Er is geen actief model. Vraag een data scientist een model te activeren.",
  profile: "Profiel",
  language: "Taal",
  statusLabels: { intake: "Intake", active: "Traject loopt", closed: "Afgesloten" },
  forbidden: "U heeft geen toegang tot deze pagina.",
  notFound: "Niet gevonden.",
  somethingWrong: "Er ging iets mis. Probeer het opnieuw.",
} as const;

type Messages = { [K in keyof typeof nl]: (typeof nl)[K] extends string ? string : Record<string, string> };

const en: Messages = {
  appName: "Trajectwijzer",
  skipToContent: "Skip to content",
  login: "Log in",
  logout: "Log out",
  username: "Username",
  password: "Password",
  loginFailed: "Username or password incorrect.",
  loginRateLimited: "Too many failed attempts. Try again in fifteen minutes.",
  fieldRequired: "Fill in this field.",
  caseload: "My clients",
  caseloadIntro: "Clients in your caseload. Open a client to see the trajectory advice.",
  reference: "Reference",
  status: "Status",
  lastContact: "Last contact",
  noClients: "No clients found.",
  client: "Client",
  backToCaseload: "Back to my clients",
  rankedTrajectories: "Trajectories ranked by chance of work",
  rankingIntro:
    "Estimated chance of paid work within 12 months under each trajectory, with an 80% interval, and the difference from regular guidance. The advice supports your judgement; you decide.",
  rank: "Rank",
  trajectory: "Trajectory",
  chanceOfWork: "Chance of work (12 mo)",
  interval80: "80% interval",
  gainOverRegular: "Difference from regular",
  evidence: "Evidence",
  comparableClients: "comparable clients",
  fewComparable: "fewer than 10 comparable clients",
  lowEvidence: "Little evidence",
  notEligible: "Not applicable",
  modelVersion: "Model version",
  noModel: "There is no active model. Ask a data scientist to activate one.",
  profile: "Profile",
  language: "Language",
  statusLabels: { intake: "Intake", active: "Trajectory running", closed: "Closed" },
  forbidden: "You do not have access to this page.",
  notFound: "Not found.",
  somethingWrong: "Something went wrong. Please try again.",
};

export const MESSAGES: Record<Lang, Messages> = { nl, en };

export function parseLang(value: string | null | undefined): Lang {
  return value === "en" ? "en" : "nl";
}

/** The current language's messages, from the root loader. */
export function useT(): Messages & { lang: Lang } {
  const data = useRouteLoaderData<{ lang: Lang }>("root");
  const lang = data?.lang ?? "nl";
  return { ...MESSAGES[lang], lang };
}
