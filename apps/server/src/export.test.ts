import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvReader, fileFingerprint, neutralise, runLeadImport, startLeadImport } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

describe("neutralise", () => {
  it("puts a ' before a text cell a spreadsheet would evaluate", () => {
    expect(["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", ""].map(neutralise)).toEqual([
      "'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b", "",
    ]);
  });
});

describe.each(testDatabaseKinds)("lead export (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.close());

  it("streams every lead with its scores as CSV, formulas neutralised", async () => {
    await server.api("PUT", "/api/v1/scoring-model", {
      fitRules: [{ field: "lead.country", op: "eq", value: "DK", points: 15 }],
      tiers: [{ name: "cold", min: 0 }, { name: "warm", min: 30 }, { name: "hot", min: 70 }],
      decay: { kind: "none" },
    });
    await server.api("PUT", "/api/v1/leads", { email: "anna@example.com", properties: { firstName: "=HYPERLINK(\"http://x\")", country: "DK" } });
    await server.api("PUT", "/api/v1/leads", { email: "ben@example.com", properties: { firstName: "Ben, Jr.", note: "@cmd", score: 5 } });
    // more leads than one page of the export (1,000), imported in bulk
    const bulk = Buffer.from(`email\n${Array.from({ length: 1100 }, (_, i) => `bulk${i}@example.com`).join("\n")}\n`);
    const { import: started } = await startLeadImport(server.ctx.deps, { fileName: "bulk.csv", fingerprint: fileFingerprint(bulk), sizeBytes: bulk.length });
    expect(await runLeadImport(server.ctx.deps, started.id, (async function* () { yield bulk; })())).toMatchObject({ status: "done", created: 1100 });

    const res = await fetch(`${server.url}/api/v1/leads/export.csv`, { headers: { authorization: `Bearer ${server.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, for spreadsheet tools
    const text = bytes.toString("utf8");
    const records: string[][] = [];
    for await (const r of new CsvReader((async function* () { yield Buffer.from(text); })()).rows()) records.push(r.fields);
    const [header, ...data] = records;
    const rows = data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
    expect(rows).toHaveLength(1102);
    expect(header).toEqual([
      "id", "email", "stage", "status", "owner", "fit", "engagement", "total", "tier", "categories", "lastActivityAt", "createdAt",
      "country", "firstName", "note", "score",
    ]);
    const anna = rows.find((r) => r.email === "anna@example.com")!;
    expect(anna).toMatchObject({ firstName: "'=HYPERLINK(\"http://x\")", country: "DK", fit: "15", total: "15", tier: "cold", stage: "lead", status: "active" });
    expect(rows.find((r) => r.email === "ben@example.com")).toMatchObject({ firstName: "Ben, Jr.", note: "'@cmd", score: "5", fit: "0" });
    expect(new Set(rows.map((r) => r.id)).size).toBe(1102);
  });

  it("is refused without a credential", async () => {
    expect((await fetch(`${server.url}/api/v1/leads/export.csv`)).status).toBe(401);
  });
});
