import { readFile } from "node:fs/promises";
import path from "node:path";
import { CATALOGUE_FILE, type Catalogue, type CatalogueChange, diffCatalogues, isCatalogueChanged, parseCatalogue } from "../../../model/index";
import { countClientsLackingFacts } from "~/models/client.server";
import { getActiveCatalogue } from "./predictor.server";

/** A registered bundle's catalogue (catalogue.json) without loading its weights; null when it has none. */
export async function readBundleCatalogue(dir: string): Promise<Catalogue | null> {
  const text = await readFile(path.join(dir, CATALOGUE_FILE), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return parseCatalogue(JSON.parse(text), `${path.basename(dir)}/${CATALOGUE_FILE}`);
  } catch {
    return null;
  }
}

export type PromotionImpact = { change: CatalogueChange; clientsLackingFacts: number } | null;

/**
 * What promoting this bundle changes for case workers, when its catalogue differs from the active
 * model's: trajectories and features added or removed, and how many open clients then lack a fact it
 * needs (they are asked for it before they get advice). Null when nothing changes or nothing is active.
 */
export async function promotionImpact(dir: string): Promise<PromotionImpact> {
  const [active, candidate] = await Promise.all([getActiveCatalogue(), readBundleCatalogue(dir)]);
  if (!active || !candidate) return null;
  const change = diffCatalogues(active, candidate);
  if (!isCatalogueChanged(change)) return null;
  return { change, clientsLackingFacts: await countClientsLackingFacts(candidate) };
}
