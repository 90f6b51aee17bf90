import { describe, expect, it } from "vitest";
import { diffCatalogues, isCatalogueChanged } from "./diff.js";
import { defaultCatalogue, parseCatalogue } from "./municipality.js";

describe("catalogue diff", () => {
  it("finds nothing between a catalogue and itself", () => {
    const change = diffCatalogues(defaultCatalogue(), defaultCatalogue());
    expect(isCatalogueChanged(change)).toBe(false);
  });

  it("names trajectories and features added, removed and changed", () => {
    const base = defaultCatalogue();
    const other = parseCatalogue(
      {
        ...base,
        trajectories: [...base.trajectories.filter((t) => t.key !== "taaltraject"), { key: "werkfit", name: { nl: "Werkfit", en: "Work-fit" } }],
        features: [
          ...base.features
            .filter((f) => f.name !== "med_diabetes")
            .map((f) => (f.name === "regio" ? { ...f, values: f.values?.filter((v) => v.value !== "noord") } : f)),
          { name: "reisafstand_km", type: "numeric", group: "regio", label: { nl: "Reisafstand", en: "Travel distance" }, range: [0, 500] },
        ],
        whatIfs: base.whatIfs,
      },
      "test",
    );
    const change = diffCatalogues(base, other);
    expect(change).toEqual({
      trajectoriesAdded: ["werkfit"],
      trajectoriesRemoved: ["taaltraject"],
      controlChanged: null,
      featuresAdded: ["reisafstand_km"],
      featuresRemoved: ["med_diabetes"],
      featuresChanged: ["regio"],
    });
    expect(isCatalogueChanged(change)).toBe(true);
  });
});
