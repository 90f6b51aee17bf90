import path from "node:path";
import {
  type Bundle,
  type Catalogue,
  createRecommendPool,
  currentBackend,
  DisclosureError,
  disposeBundle,
  loadBundle,
  loadMunicipalConfig,
  PoolError,
  type RecommendPool,
  type ReferenceStats,
  recommend,
  requireDisclosurePass,
} from "../../../model/index";
import type { RecommendationResult } from "../../../model/recommendation";
import { getActiveModelVersion } from "~/models/model-version.server";
import { getModelThreads } from "../env.server";
import { errorLine } from "../error-line";
import { log } from "../log.server";

/**
 * Loads the active bundle once per version and calls model/. The only place that maps
 * model errors to HTTP: a missing or broken model is a 503 with a plain message.
 * When another version becomes active, the previous bundle's tensors are freed as soon as the
 * requests that were using it have finished (`inFlight`), so promotes do not add up in memory.
 */
type Loaded = {
  version: string;
  bundle: Promise<Bundle>;
  pool: Promise<RecommendPool | null>;
  inFlight: number;
  /** "retired" once another version is active; "disposed" once its tensors are freed. */
  state: "serving" | "retired" | "disposed";
};
let loaded: Loaded | undefined;

/** The worker script, from the project root (the server bundle does not hold it). */
const WORKER_FILE = path.resolve("model/recommend/recommend-worker.ts");

async function getActive(): Promise<Loaded | null> {
  const active = await getActiveModelVersion();
  if (!active) return null;
  if (loaded?.version !== active.id) {
    const previous = loaded;
    const threads = getModelThreads();
    const bundle = loadBundle(active.dir)
      .then(requireDisclosure)
      .then((ready) => {
        log.info({ model: active.id, backend: currentBackend(), threads }, "active model loaded");
        return ready;
      });
    // Threads load the bundle only after it passed its checks here.
    const pool = bundle.then(
      () => (threads > 0 ? createRecommendPool({ bundleDir: active.dir, threads, workerFile: WORKER_FILE }).catch(poolUnavailable) : null),
      () => null,
    );
    loaded = { version: active.id, bundle, pool, inFlight: 0, state: "serving" };
    bundle.catch(() => {
      if (loaded?.bundle === bundle) loaded = undefined;
    });
    if (previous) {
      previous.state = "retired";
      void previous.pool.then((p) => p?.close());
      disposeWhenIdle(previous);
    }
  }
  return loaded;
}

/** The active entry, counted as in use until `release`: taken in the same tick it is chosen. */
async function acquireActive(): Promise<Loaded | null> {
  const active = await getActive();
  if (active) active.inFlight++;
  return active;
}

function release(entry: Loaded): void {
  entry.inFlight--;
  disposeWhenIdle(entry);
}

function disposeWhenIdle(entry: Loaded): void {
  if (entry.state !== "retired" || entry.inFlight > 0) return;
  entry.state = "disposed";
  void entry.bundle.then(disposeBundle, () => undefined);
}

async function getActiveBundle(): Promise<Bundle | null> {
  return (await getActive())?.bundle ?? null;
}

/**
 * The catalogue the app asks, validates and explains in: the active bundle's (what it was trained
 * with), or the municipal configuration's while no model is active or the active one cannot load.
 */
export async function getServingCatalogue(): Promise<Catalogue> {
  const bundle = await getActiveBundle().catch(() => null);
  if (bundle) return bundle.catalogue;
  // Read once per process: a changed configuration file takes effect at the next start.
  municipalConfig ??= loadMunicipalConfig();
  return municipalConfig;
}
let municipalConfig: Promise<Catalogue> | undefined;

/** The active bundle's catalogue only, or null when no model is active (or it cannot load). */
export async function getActiveCatalogue(): Promise<Catalogue | null> {
  const bundle = await getActiveBundle().catch(() => null);
  return bundle?.catalogue ?? null;
}

function poolUnavailable(error: unknown): null {
  log.error({ error: errorLine(error) }, "recommendation threads unavailable, computing in the server thread");
  return null;
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
  let active: Loaded | null;
  try {
    active = await acquireActive();
  } catch (error) {
    throw unavailable(error);
  }
  try {
    return await recommendWith(active, profile);
  } finally {
    if (active) release(active);
  }
}

/** A 503 with a plain message for a model that cannot be served; the reason goes to the log. */
function unavailable(error: unknown): Response {
  log.error({ error: errorLine(error) }, "active model could not be loaded");
  const message =
    error instanceof DisclosureError
      ? "Het actieve model is niet vrijgegeven: de onthullingscontrole ontbreekt of is niet geslaagd."
      : "Het actieve model kan niet worden geladen.";
  return new Response(message, { status: 503 });
}

async function recommendWith(active: Loaded | null, profile: Record<string, unknown>): Promise<RecommendationResult | null> {
  let bundle: Bundle | null;
  let pool: RecommendPool | null = null;
  try {
    bundle = active ? await active.bundle : null;
    pool = active ? await active.pool : null;
  } catch (error) {
    throw unavailable(error);
  }
  if (!bundle) return null;
  if (pool) {
    try {
      return await pool.recommend(profile);
    } catch (error) {
      // A thread that stopped is not the client's fault: this and later requests are answered in
      // this thread (logged once) until the next model version starts new threads.
      if (error instanceof PoolError) throw error;
      if (active && (await active.pool) === pool) {
        active.pool = Promise.resolve(null);
        poolUnavailable(error);
        void pool.close();
      }
    }
  }
  return recommend(bundle, profile);
}

/**
 * The version this process serves, once its bundle has loaded and passed its checks; null before
 * (or when it failed). Never starts a load: cheap enough for /health.
 */
export async function getLoadedModelVersion(): Promise<string | null> {
  const entry = loaded;
  if (entry?.state !== "serving") return null;
  const settled = entry.bundle.then(
    () => true,
    () => false,
  );
  const pending = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return (await Promise.race([settled, pending])) ? entry.version : null;
}

/** The active bundle's aggregated training reference (for input drift); null without a loadable active model. */
export async function getActiveReference(): Promise<ReferenceStats | null> {
  try {
    return (await getActiveBundle())?.reference ?? null;
  } catch {
    return null;
  }
}
