import { pathToFileURL } from "node:url";
import { z } from "zod";
import { AUDIT_MINIMUM_MONTHS, retentionCutoffs, retentionFromEnv } from "../app/utils/retention.js";
import { openAppDatabase } from "./lib/app-env.js";
import { auditCli } from "./lib/audit.js";
import { parseCli, runCli, textTable } from "./lib/cli.js";

const spec = {
  name: "purge",
  usage: "usage: npm run purge -- [--dry-run]",
  description: [
    "Removes what is past its retention period, and records in the audit log what it removed.",
    "",
    "  RETENTION_RECOMMENDATIONS_MONTHS   advice that was shown and on which no decision rests (default 24)",
    "  RETENTION_CLOSED_CLIENTS_MONTHS    closed clients with their advice, decisions and outcomes,",
    "                                     counted from the closing (default 24)",
    `  RETENTION_AUDIT_MONTHS             audit entries (default and minimum ${AUDIT_MINIMUM_MONTHS}: the legal minimum,`,
    "                                     which the database enforces too)",
    "",
    "  --dry-run   only count what would go; nothing is removed (also audited)",
    "",
    "Uses the app's database exactly as `npm start` does: DATA_DIR (default data/), DATABASE_URL.",
    "Run it daily from cron or a scheduled job. Exit code: 0 done, 1 bad input or another error.",
  ].join("\n"),
  options: { "dry-run": "boolean" },
  schema: z.object({ "dry-run": z.boolean().default(false) }),
} as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const options = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const retention = retentionFromEnv(process.env);
    await openAppDatabase();
    const { purgeExpired } = await import("../app/models/retention.server.js");
    const now = new Date();
    const cutoffs = retentionCutoffs(retention, now);
    const dryRun = options["dry-run"];
    let counts: Awaited<ReturnType<typeof purgeExpired>>;
    try {
      counts = await purgeExpired(cutoffs, { dryRun });
    } catch (error) {
      await auditCli({ action: "retention.purge", object: dryRun ? "dry-run" : null, result: "failed" });
      throw error;
    }
    const summary = `recommendations=${counts.recommendations} closed_clients=${counts.closedClients} audit_entries=${counts.auditEntries}`;
    await auditCli({ action: "retention.purge", object: dryRun ? `dry-run ${summary}` : summary, result: "ok" });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    process.stdout.write(
      textTable(
        ["what", "kept (months)", "removed if before", dryRun ? "would be removed" : "removed"],
        [
          ["shown advice without a decision", String(retention.recommendationsMonths), day(cutoffs.recommendations), String(counts.recommendations)],
          ["closed clients", String(retention.closedClientsMonths), day(cutoffs.closedClients), String(counts.closedClients)],
          ["audit entries", String(Math.max(retention.auditMonths, AUDIT_MINIMUM_MONTHS)), day(cutoffs.audit), String(counts.auditEntries)],
        ],
      ),
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
