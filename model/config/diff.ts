import type { Catalogue, FeatureConfig } from "./municipality.js";

/**
 * What changes for the app when one catalogue replaces another (promoting a model trained with other
 * trajectories or features): the intake asks other questions, stored profiles may lack facts, and the
 * advice ranks other trajectories.
 */
export type CatalogueChange = {
  trajectoriesAdded: string[];
  trajectoriesRemoved: string[];
  controlChanged: { from: string; to: string } | null;
  featuresAdded: string[];
  featuresRemoved: string[];
  /** Same name, another type or other allowed values: stored answers may no longer fit. */
  featuresChanged: string[];
};

const valuesOf = (f: FeatureConfig) => JSON.stringify({ type: f.type, values: f.values?.map((v) => v.value) ?? null, range: f.range ?? null });

export function diffCatalogues(from: Catalogue, to: Catalogue): CatalogueChange {
  const arms = (c: Catalogue) => c.trajectories.map((t) => t.key);
  const fromFeatures = new Map(from.features.map((f) => [f.name, f]));
  const toNames = new Set(to.features.map((f) => f.name));
  return {
    trajectoriesAdded: arms(to).filter((a) => !arms(from).includes(a)),
    trajectoriesRemoved: arms(from).filter((a) => !arms(to).includes(a)),
    controlChanged: from.control === to.control ? null : { from: from.control, to: to.control },
    featuresAdded: to.features.filter((f) => !fromFeatures.has(f.name)).map((f) => f.name),
    featuresRemoved: from.features.filter((f) => !toNames.has(f.name)).map((f) => f.name),
    featuresChanged: to.features.filter((f) => {
      const before = fromFeatures.get(f.name);
      return before !== undefined && valuesOf(before) !== valuesOf(f);
    }).map((f) => f.name),
  };
}

export function isCatalogueChanged(change: CatalogueChange): boolean {
  return (
    change.controlChanged !== null ||
    [change.trajectoriesAdded, change.trajectoriesRemoved, change.featuresAdded, change.featuresRemoved, change.featuresChanged].some((l) => l.length > 0)
  );
}
