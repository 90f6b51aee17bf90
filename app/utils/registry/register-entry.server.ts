import { type AlgorithmRegisterEntry, algorithmRegisterEntry } from "../../../model/bundle/algorithm-register";
import { getModelVersion, type ModelStatus, ModelStatusSchema } from "~/models/model-version.server";
import { readModelCard, registerConfig } from "./model-registry.server";

/** The algorithm-register entry of a registered model version (throws 404 / 503 Responses). */
export async function requireRegisterEntry(id: string): Promise<AlgorithmRegisterEntry> {
  const version = await getModelVersion({ id });
  if (!version) throw new Response("Not found", { status: 404 });
  const card = await readModelCard(version.dir);
  if (!card) throw new Response("De modelkaart kan niet worden gelezen.", { status: 503 });
  const status: ModelStatus = ModelStatusSchema.catch("candidate").parse(version.status);
  const disclosure = version.disclosureStatus === "passed" || version.disclosureStatus === "failed" ? version.disclosureStatus : "unchecked";
  return algorithmRegisterEntry(card.card, {
    status,
    disclosureStatus: disclosure,
    dataHash: version.dataHash,
    activatedAt: version.activatedAt,
    retiredAt: version.retiredAt,
    ...registerConfig(),
  });
}
