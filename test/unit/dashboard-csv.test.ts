import { beforeAll, describe, expect, it } from "vitest";
import { tableToCsv } from "~/utils/quality/quality-report";
import { useTestDatabase } from "../setup/test-db";

/** The dashboard's CSV exports open in Dutch Excel by default; `?format=rfc4180` gives plain RFC 4180. */
const table = {
  id: "interventions" as const,
  columns: [
    { key: "chosenArm", kind: "label" as const },
    { key: "n", kind: "count" as const },
    { key: "rate", kind: "rate" as const },
  ],
  rows: [
    ["jobcoaching", 120, 0.31234],
    ["scholing", "<10", null],
  ],
};

describe("tableToCsv", () => {
  it("excel-nl: byte order mark, semicolons, decimal commas, CRLF", () => {
    const csv = tableToCsv(table, "nl", "excel-nl");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[1]).toBe("Jobcoaching / intensieve bemiddeling;120;0,3123");
    expect(lines[2]).toBe("Scholing;<10;");
    expect(lines[0]?.split(";")).toHaveLength(3);
  });

  it("rfc4180: no byte order mark, commas, '.' decimals", () => {
    const csv = tableToCsv(table, "nl", "rfc4180");
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.split("\r\n")[1]).toBe("Jobcoaching / intensieve bemiddeling,120,0.3123");
  });
});

describe("GET /dashboard/csv/:table", () => {
  let cookie = "";
  let route: typeof import("~/routes/dashboard_.csv.$table");
  beforeAll(async () => {
    await useTestDatabase();
    const { getDb } = await import("~/utils/db.server");
    const { createSession } = await import("~/utils/auth/session.server");
    const manager = await getDb().user.create({ data: { username: "mgr-csv", displayName: "M", role: "manager", passwordHash: "x" } });
    cookie = (await createSession(manager.id)).split(";")[0] ?? "";
    route = await import("~/routes/dashboard_.csv.$table");
  });

  const get = async (query: string) => {
    try {
      return await route.loader({ request: new Request(`http://localhost/dashboard/csv/interventions.csv${query}`, { headers: { Cookie: cookie } }), params: { table: "interventions.csv" }, context: {} });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };

  it("starts with the byte order mark and separates with ';' by default", async () => {
    const response = await get("");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("gives RFC 4180 with ?format=rfc4180 and refuses an unknown format", async () => {
    const response = await get("?format=rfc4180");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).not.toBe(0xef);
    expect((await get("?format=xlsx")).status).toBe(400);
  });
});
