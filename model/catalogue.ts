import { z } from "zod";

/** The default intervention catalogue (DESIGN.md, "Interventions"). `regulier` is the comparison arm. */
export const INTERVENTIONS = [
  "regulier",
  "jobcoaching",
  "scholing",
  "werkervaringsplaats",
  "loonkostensubsidie",
  "schuldhulp",
  "participatieplek",
  "taaltraject",
] as const;

export const InterventionSchema = z.enum(INTERVENTIONS);
export type Intervention = z.infer<typeof InterventionSchema>;

export const CONTROL_ARM: Intervention = "regulier";

export const INTERVENTION_LABELS: Record<Intervention, { nl: string; en: string }> = {
  regulier: { nl: "Reguliere begeleiding", en: "Regular guidance" },
  jobcoaching: { nl: "Jobcoaching / intensieve bemiddeling", en: "Job coaching / intensive matching" },
  scholing: { nl: "Scholing", en: "Vocational training" },
  werkervaringsplaats: { nl: "Werkervaringsplaats", en: "Work-experience placement" },
  loonkostensubsidie: { nl: "Loonkostensubsidie", en: "Wage cost subsidy" },
  schuldhulp: { nl: "Schuldhulpverlening eerst", en: "Debt counselling first" },
  participatieplek: { nl: "Participatieplek / vrijwilligerswerk", en: "Participation / volunteering placement" },
  taaltraject: { nl: "Taaltraject", en: "Dutch language course" },
};
