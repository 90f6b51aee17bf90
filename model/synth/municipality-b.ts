import gemeenteBJson from "../../config/examples/gemeente-b.json" with { type: "json" };
import { INTERVENTIONS, type Intervention } from "../catalogue.js";
import { type Catalogue, parseCatalogue } from "../config/municipality.js";
import { SchemaError } from "../errors.js";
import { CODE_OF_INTERVENTION } from "../link/format.js";
import type { Naming } from "./export-layout.js";

/**
 * The second synthetic municipality, "Gemeente B" (config/examples/gemeente-b.json): its own
 * instruments, codes, file and column names, and one variable we do not have, a driving licence.
 * The generator's world has eight arms; B's instruments are mapped onto them here, and only here
 * (the configuration and the delivery profile know nothing of our arms).
 */
export const GEMEENTE_B_CONFIG_FILE = "config/examples/gemeente-b.json";
export const GEMEENTE_B: Catalogue = parseCatalogue(gemeenteBJson, GEMEENTE_B_CONFIG_FILE);

/** Which of the generator's arms each of B's instruments behaves like. */
const B_KEY_OF: Record<Intervention, string> = {
  regulier: "basis",
  jobcoaching: "jobhunting",
  werkervaringsplaats: "werkfit",
  scholing: "vakopleiding",
  loonkostensubsidie: "loonwaarde",
  schuldhulp: "geldzaken",
  participatieplek: "participatieplaats",
  taaltraject: "taalwerk",
};
/** B's instrument codes in its case-management system. */
const B_CODE: Record<string, string> = {
  basis: "BD01",
  jobhunting: "JH01",
  werkfit: "WF01",
  vakopleiding: "VO01",
  loonwaarde: "LW01",
  geldzaken: "GZ01",
  participatieplaats: "PP01",
  taalwerk: "TW01",
};

const bKeys = GEMEENTE_B.trajectories.map((t) => t.key);
const mapped = INTERVENTIONS.map((arm) => B_KEY_OF[arm]);
if ([...mapped].sort().join() !== [...bKeys].sort().join() || GEMEENTE_B.control !== B_KEY_OF.regulier) {
  throw new SchemaError(`${GEMEENTE_B_CONFIG_FILE}: the generator maps its arms onto ${mapped.join(", ")} (control basis); the configuration declares ${bKeys.join(", ")}`);
}

/** B's extra variable: the column it is delivered in. */
export const B_EXTRA_FEATURE = "rijbewijs";

const BSN = "Burgerservicenummer";
export const GEMEENTE_B_NAMING: Naming = {
  files: {
    personen: "Inwoners.csv",
    huishoudens: "Leefsituatie.csv",
    opleiding: "Opleidingen.csv",
    dienstverbanden: "Werkgeschiedenis.csv",
    uitkeringen: "Uitkeringen.csv",
    medicatie: "Medicatie.csv",
    schulden: "Schuldendossiers.csv",
    wmo: "Wmo_indicaties.csv",
    trajecten: "Trajecten_participatie.csv",
    uitkomsten: "Resultaten_trajecten.csv",
    truth: "truth.csv",
  },
  columns: {
    personen: { bsn: BSN, geboortedatum: "Geb.datum", geslacht: "Geslacht", herkomst: "Herkomstgroep", postcode: "Postcode" },
    huishoudens: { bsn: BSN, huishouden: "Huishoudtype", aantal_kinderen: "Kinderen", geboortejaar_jongste_kind: "Geb.jaar jongste kind" },
    opleiding: { bsn: BSN, opleidingsniveau: "Opleidingsniveau", taalniveau: "Taalniveau" },
    dienstverbanden: { bsn: BSN, begindatum: "Van", einddatum: "Tot", uren_per_week: "Uren", sector: "SBI" },
    uitkeringen: { bsn: BSN, begindatum: "Ingang", einddatum: "Einde", regeling: "Regeling" },
    medicatie: { bsn: BSN, jaar: "Jaar", atc: "ATC" },
    schulden: { bsn: BSN, registratiedatum: "Datum aanmelding", einddatum: "Datum afsluiting", problematisch: "Problematisch" },
    wmo: { bsn: BSN, voorziening: "Voorziening", begindatum: "Ingang", einddatum: "Einde" },
    trajecten: { bsn: BSN, traject_id: "Dossiernummer", interventie: "Instrument", startdatum: "Startdatum traject" },
    uitkomsten: {
      bsn: BSN,
      traject_id: "Dossiernummer",
      werk_12m: "Werk 12 mnd",
      uren_per_week: "Uren",
      uitstroom_12m: "Uitstroom 12 mnd",
      wmo_12m: "Wmo 12 mnd",
      schulden_12m: "Schulden 12 mnd",
    },
    truth: { bsn: BSN },
  },
  trajectoryCodes: Object.fromEntries(INTERVENTIONS.map((arm) => [CODE_OF_INTERVENTION[arm], B_CODE[B_KEY_OF[arm]] as string])),
  trajectoryKeys: Object.fromEntries(INTERVENTIONS.map((arm) => [CODE_OF_INTERVENTION[arm], B_KEY_OF[arm]])),
  armKeys: mapped,
  contactColumns: ["Naam", "Straat en huisnummer", "Woonplaats"],
  extras: [{ name: B_EXTRA_FEATURE, file: "personen", column: "Rijbewijs B", flag: true }],
};
