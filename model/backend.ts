import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";

/**
 * Picks the TensorFlow.js backend once per process: tfjs-node ("tensorflow") when it
 * loads, else WebAssembly, else plain JavaScript ("cpu"). Logs the choice on stderr.
 */
export type BackendName = "tensorflow" | "wasm" | "cpu";

let chosen: Promise<BackendName> | undefined;

export function ensureBackend(options: { prefer?: BackendName; quiet?: boolean } = {}): Promise<BackendName> {
  chosen ??= pick(options.prefer ?? envPreference()).then((name) => {
    if (!options.quiet && process.env.TRAJECTWIJZER_QUIET_BACKEND !== "1") {
      process.stderr.write(`trajectwijzer: TensorFlow.js backend "${name}"\n`);
    }
    return name;
  });
  return chosen;
}

/** The backend in use now (after `ensureBackend`). */
export function currentBackend(): string {
  return tf.getBackend();
}

function envPreference(): BackendName | undefined {
  const value = process.env.TRAJECTWIJZER_BACKEND;
  return value === "tensorflow" || value === "wasm" || value === "cpu" ? value : undefined;
}

async function pick(prefer: BackendName | undefined): Promise<BackendName> {
  const order: BackendName[] = prefer ? [prefer, "tensorflow", "wasm", "cpu"] : ["tensorflow", "wasm", "cpu"];
  for (const name of order) {
    if (await tryBackend(name)) return name;
  }
  throw new Error("no TensorFlow.js backend could be initialised");
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === "tensorflow") {
      // Optional dependency: absent on machines that cannot download libtensorflow.
      const moduleName = "@tensorflow/tfjs-node";
      await import(/* @vite-ignore */ moduleName);
    } else if (name === "wasm") {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
      // Node reads the .wasm files from the package's dist directory (no fetch from a URL).
      wasm.setWasmPaths(`${join(dist, "/")}`);
    }
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    // Smoke test: a kernel every model here uses.
    const ok = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 1])).sum().dataSync()[0] === 6);
    return ok;
  } catch {
    return false;
  }
}
