import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { loadBundle, recommend, SchemaError } from "../model/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "recommend",
  usage: "usage: npm run recommend -- --model DIR --client JSON [--no-explain]",
  description: [
    "Ranked, explained trajectory advice for one client; prints the RecommendationResult as JSON.",
    "",
    "  --model DIR     a model bundle (verified before use)",
    "  --client JSON   a JSON file with one value per schema feature, or the JSON object itself",
    "  --no-explain    skip the integrated-gradients reasons",
  ].join("\n"),
  options: { model: "string", client: "string", "no-explain": "boolean" },
  schema: z.object({ model: z.string().min(1), client: z.string().min(1), "no-explain": z.boolean().default(false) }),
} as const;

async function readClient(value: string): Promise<Record<string, unknown>> {
  const text = value.trim().startsWith("{") ? value : await readFile(value, "utf8").catch((error: unknown) => {
    throw new SchemaError(`${value}: cannot read client file`, { cause: error });
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`${value}: client is not valid JSON`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SchemaError(`${value}: client must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const client = await readClient(args.client);
    const bundle = await loadBundle(args.model);
    const result = recommend(bundle, client, { explain: !args["no-explain"] });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
