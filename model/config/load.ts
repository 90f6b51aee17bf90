import { readFile } from "node:fs/promises";
import { SchemaError } from "../errors.js";
import { type Catalogue, defaultCatalogue, parseCatalogue } from "./municipality.js";

/** Environment variable naming a deployment's configuration file. */
export const MUNICIPALITY_CONFIG_ENV = "MUNICIPALITY_CONFIG";

/**
 * Reads and validates a configuration file: `path`, else the file named by MUNICIPALITY_CONFIG,
 * else the repository's default. Throws SchemaError with the file and the offending key.
 */
export async function loadMunicipalConfig(path: string | undefined = process.env[MUNICIPALITY_CONFIG_ENV] || undefined): Promise<Catalogue> {
  if (!path) return defaultCatalogue();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SchemaError(`${path}: cannot read the municipal configuration`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`${path}: not valid JSON`, { cause: error });
  }
  return parseCatalogue(value, path);
}
