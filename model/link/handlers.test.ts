import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "./derive.js";
import { fileHandlers } from "./handlers.js";
import { JoinState } from "./join-state.js";
import { Quarantine } from "./quarantine.js";
import type { FileReport } from "./report.js";
import { CONVERT, type RowFile } from "./rows.js";

/** The join steps alone, on hand-made rows (validated rows as the reader would pass them). */
const day = (iso: string) => parseIsoDate(iso) as number;

function setup() {
  const state = new JoinState();
  const handlers = fileHandlers(state);
  const feed = (file: RowFile, fields: string[], line = 2) => handlers[file](CONVERT[file](fields), fields, line);
  return { state, feed };
}

describe("fileHandlers and the join state", () => {
  it("links a person's rows to each of their trajectories and says why other rows are not used", () => {
    const { state, feed } = setup();
    expect(feed("trajecten", ["123456782", "T1", "JOB", "2022-03-01"], 2)).toBeNull();
    expect(feed("trajecten", ["123456782", "T2", "REG", "2023-01-01"], 3)).toBeNull();
    expect(feed("trajecten", ["123456782", "T1", "JOB", "2022-03-01"], 4)).toBe("duplicate");
    expect(feed("trajecten", ["234567891", "T1", "JOB", "2022-03-01"], 5)).toBe("conflicting_duplicate");
    state.trajectoriesKnown();
    expect(state.trajectories).toHaveLength(2);
    expect(state.lineOf).toEqual([2, 3]);

    state.startFile();
    expect(feed("personen", ["123456782", "1990-06-15", "V", "NL", "3511AB"])).toBeNull();
    expect(feed("personen", ["123456782", "1990-06-15", "V", "NL", "3511AB"])).toBe("duplicate");
    expect(feed("personen", ["123456782", "1990-06-15", "V", "NL", "1012AB"])).toBe("conflicting_duplicate");
    expect(feed("personen", ["234567891", "1980-01-01", "M", "NL", "1012AB"])).toBe("no_trajectory");
    expect(state.personsWithoutTrajectory).toEqual(new Set([234567891]));
    expect(state.hasPerson).toEqual([1, 1]);
    expect(state.at(0).birth).toBe(day("1990-06-15"));
    expect(state.at(1).birth).toBe(day("1990-06-15"));

    state.startFile();
    expect(feed("dienstverbanden", ["123456782", "2015-01-01", "2020-12-31", "32", "G"])).toBeNull();
    expect(feed("dienstverbanden", ["123456782", "2015-01-01", "2020-12-31", "32", "G"])).toBe("duplicate");
    expect(feed("dienstverbanden", ["123456782", "2021-01-01", "2020-12-31", "32", "G"])).toBe("inconsistent_dates");
    expect(state.at(0).everWorked).toBe(1);
    expect(state.at(0).lastWorkEnd).toBe(day("2020-12-31"));

    state.startFile();
    expect(feed("uitkomsten", ["123456782", "T2", "1", "24", "1", "0", "0"])).toBeNull();
    expect(feed("uitkomsten", ["234567891", "T2", "1", "24", "1", "0", "0"])).toBe("unknown_trajectory");
    expect(state.hasOutcome).toEqual([0, 1]);
    expect(state.at(1).werk).toBe(1);
  });
});

describe("Quarantine", () => {
  it("pseudonymises bsns, masks the persons file's digits, and masks every cell of an unsplittable row when the file has columns we do not read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-quarantine-"));
    const report: FileReport = { present: true, rowsRead: 0, valid: 0, linked: 0, unlinked: 0, quarantined: {} };
    const quarantine = new Quarantine({
      dir,
      columns: { personen: ["bsn", "geboortedatum", "geslacht"] } as unknown as Record<RowFile, readonly string[]>,
      pseudonym: (bsn) => `p(${bsn.slice(0, 2)})`,
      reports: { personen: report } as Record<RowFile, FileReport>,
    });
    await quarantine.add("personen", { line: 2, reason: "unknown_code", field: "geslacht", fields: ["123456782", "1990-06-15", "X"] });
    await quarantine.add("personen", { line: 3, reason: "field_count", field: "", fields: ["123456782", "Zoë de Vries", "V"], maskAll: true });
    await quarantine.add("personen", { line: 4, reason: "field_count", field: "", fields: ["123456782", "V", "NL", "a", "b"] });
    await quarantine.close();
    expect((await readFile(join(dir, "personen.csv"), "utf8")).trimEnd().split("\n")).toEqual([
      "line,reason,field,bsn,geboortedatum,geslacht",
      "2,unknown_code,geslacht,p(12),***,X",
      "3,field_count,,p(12),***,***",
      "4,field_count,,p(12),V,NL|a|b",
    ]);
    expect(report.quarantined).toEqual({ unknown_code: 1, field_count: 2 });
    await rm(dir, { recursive: true, force: true });
  });
});
