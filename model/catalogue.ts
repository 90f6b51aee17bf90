import { z } from "zod";
import { declaredInConfig, defaultCatalogue, type Text } from "./config/municipality.js";

/**
 * The default intervention catalogue, read from config/municipality.json (one source for
 * names, descriptions, rules and costs). The keys stay typed here because the generator and
 * the linker are written for exactly these codes; the configuration must declare the same.
 * Code that serves any bundle asks the bundle's catalogue instead.
 */
const catalogue = defaultCatalogue();

export const INTERVENTIONS = declaredInConfig(
  "the trajectories",
  catalogue.trajectories.map((t) => t.key),
  ["regulier", "jobcoaching", "scholing", "werkervaringsplaats", "loonkostensubsidie", "schuldhulp", "participatieplek", "taaltraject"],
);

export const InterventionSchema = z.enum(INTERVENTIONS);
export type Intervention = z.infer<typeof InterventionSchema>;

export const CONTROL_ARM: Intervention = InterventionSchema.parse(catalogue.control);

export const INTERVENTION_LABELS = Object.fromEntries(catalogue.trajectories.map((t) => [t.key, t.name])) as Readonly<Record<Intervention, Text>>;
