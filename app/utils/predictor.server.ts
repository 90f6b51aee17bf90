import { type Bundle, loadBundle, type ReferenceStats, recommend } from "../../model/index";
import { DisclosureError, disposeBundle, requireDisclosurePass } from "../../model/index";
import type { RecommendationResult } from "../../model/recommendation";
import { getActiveModelVersion } from "~/models/model-version.server";

/**
 * Loads the active bundle once per version and calls model/. The only place that maps
 * model errors to HTTP: a missing or broken model is a 503 with a plain message.
 */
let loaded: { version: string; bundle: Promise<Bundle> } | undefined;

async function getActiveBundle(): Promise<Bundle | null> {
  const active = await getActiveModelVersion();
  if (!active) return null;
  if (loaded?.version !== active.id) {
    const bundle = loadBundle(active.dir).then(requireDisclosure);
    loaded = { version: active.id, bundle };
    bundle.catch(() => {
      if (loaded?.bundle === bundle) loaded = undefined;
    });
  }
  return loaded.bundle;
}

/** A bundle is served only with a passing disclosure report that covers its current files (issue 7). */
async function requireDisclosure(bundle: Bundle): Promise<Bundle> {
  try {
    await requireDisclosurePass(bundle);
    return bundle;
  } catch (error) {
    disposeBundle(bundle);
    throw error;
  }
}

export async function recommendForClient(profile: Record<string, unknown>): Promise<RecommendationResult | null> {
  let bundle: Bundle | null;
  try {
    bundle = await getActiveBundle();
  } catch (error) {
    console.error(`active model could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    const message =
      error instanceof DisclosureError
        ? "Het actieve model is niet vrijgegeven: de onthullingscontrole ontbreekt of is niet geslaagd."
        : "Het actieve model kan niet worden geladen.";
    throw new Response(message, { status: 503 });
  }
  if (!bundle) return null;
  return recommend(bundle, profile);
}

/** The active bundle's aggregated training reference (for input drift); null without a loadable active model. */
export async function getActiveReference(): Promise<ReferenceStats | null> {
  try {
    return (await getActiveBundle())?.reference ?? null;
  } catch {
    return null;
  }
}
