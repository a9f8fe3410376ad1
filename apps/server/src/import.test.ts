import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, runLeadImport, startLeadImport } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const fingerprint = (bytes: Uint8Array) => createHash("sha256").update(bytes.subarray(0, 64 * 1024)).digest("hex");

/** Starts an import of `bytes` over REST, uploads them, and waits until it is done or failed. */
async function importOver(server: TestServer, bytes: Buffer, extra: Record<string, unknown> = {}) {
  const started = await server.api("POST", "/api/v1/lead-imports", { fileName: "leads.csv", fingerprint: fingerprint(bytes), sizeBytes: bytes.length, ...extra });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const id = started.body.import.id as string;
  const put = await fetch(`${server.url}/api/v1/lead-imports/${id}/file`, {
    method: "PUT", headers: { authorization: `Bearer ${server.key}`, "content-type": "text/csv" }, body: bytes,
  });
  expect(put.status, await put.clone().text()).toBe(202);
  for (let i = 0; i < 600; i++) {
    const view = await server.api("GET", `/api/v1/lead-imports/${id}`);
    if (view.body.status === "done" || view.body.status === "failed") return view.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the import did not finish");
}

async function* pieces(bytes: Buffer, size: number, failAt = Infinity): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    if (at >= failAt) throw new Error("connection lost");
    yield bytes.subarray(at, at + size);
  }
}

describe.each(testDatabaseKinds)("lead import (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.close());

  it("imports a ;-separated file, merging into existing leads and rejecting bad rows by line", async () => {
    await server.api("PUT", "/api/v1/leads", { email: "Old@Example.com", properties: { firstName: "Olga", country: "DK" } });
    const csv = [
      "email;firstName;company;country",
      "anna@example.hu;Anna;Acme, Inc.;HU",
      "old@example.com;;Old Corp;",
      "not-an-email;X;Y;DE",
      "",
      '"ben@example.com";"Ben ""B"" Jr.";"two',
      'lines";US',
      "short@example.com;Short",
      "anna@example.hu;Anna;Acme, Inc.;AT",
    ].join("\r\n");
    const view = await importOver(server, Buffer.from(csv));
    expect(view).toMatchObject({ status: "done", created: 2, updated: 2, rejected: 2, delimiter: ";", encoding: "utf-8", lastLine: 9 });
    const { body } = await server.api("GET", `/api/v1/lead-imports/${view.id}/rejections`);
    expect(body.rejections).toEqual([
      { line: 4, message: expect.stringMatching(/^invalid lead: email: /) },
      { line: 8, message: "expected 4 fields, found 2" },
    ]);
    expect((await server.api("GET", "/api/v1/leads/old@example.com")).body.properties).toEqual({ firstName: "Olga", country: "DK", company: "Old Corp" });
    expect((await server.api("GET", "/api/v1/leads/ben@example.com")).body.properties).toEqual({ firstName: 'Ben "B" Jr.', company: "two\r\nlines", country: "US" });
    expect((await server.api("GET", "/api/v1/leads/anna@example.hu")).body.properties.country).toBe("AT");
  });

  it("detects Latin-1 and UTF-16 files and takes a given delimiter", async () => {
    const latin = await importOver(server, Buffer.from("email,city\nlat@example.com,Malmö\n", "latin1"));
    expect(latin).toMatchObject({ status: "done", encoding: "latin1", created: 1 });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email\tcity\nwide@example.com\tKøbenhavn\n", "utf16le")]);
    expect(await importOver(server, utf16, { delimiter: "\t" })).toMatchObject({ status: "done", encoding: "utf-16le", delimiter: "\t" });
    expect((await server.api("GET", "/api/v1/leads/lat@example.com")).body.properties.city).toBe("Malmö");
    expect((await server.api("GET", "/api/v1/leads/wide@example.com")).body.properties.city).toBe("København");
  });

  it("refuses hostile headers with the reason, keeping nothing", async () => {
    const cases: [string, RegExp][] = [
      ["name,company\nx,y\n", /needs an email column/],
      ["email,a b\nx@y.io,1\n", /column 2 "a b": column names use/],
      ["email,Email\nx@y.io,1\n", /appears twice/],
      [`email,${Array.from({ length: 201 }, (_, i) => `p${i}`).join(",")}\n`, /202 columns; at most 201/],
    ];
    for (const [csv, reason] of cases) expect(await importOver(server, Buffer.from(csv))).toMatchObject({ status: "failed", error: expect.stringMatching(reason), rowsRead: 0 });
  });

  it("resumes after the last committed chunk when run again with the same file", async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `resume${i}@example.com,R${i}`);
    const bytes = Buffer.from(`email,firstName\n${rows.join("\n")}\n`);
    const { deps } = server.ctx;
    const { import: started } = await startLeadImport(deps, { fileName: "big.csv", fingerprint: fingerprint(bytes), sizeBytes: bytes.length });
    // the connection drops two thirds of the way: the chunks committed before stay
    await expect(runLeadImport(deps, started.id, pieces(bytes, 1024, Math.floor(bytes.length * 0.66)))).rejects.toThrow("connection lost");
    const again = await startLeadImport(deps, { fileName: "big.csv", fingerprint: fingerprint(bytes), sizeBytes: bytes.length });
    expect(again).toMatchObject({ resumed: true, import: { id: started.id, status: "failed" } });
    const partial = again.import.rowsRead;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(4000);
    expect(again.import.created).toBe(partial);
    const done = await runLeadImport(deps, started.id, pieces(bytes, 4096));
    // nothing committed before was imported again: every row was created once, none updated
    expect(done).toMatchObject({ status: "done", rowsRead: 4000, created: 4000, updated: 0, lastLine: 4001 });
    expect((await server.api("GET", "/api/v1/leads/resume3999@example.com")).body.properties).toEqual({ firstName: "R3999" });
    // done: not run again, and starting the same file again is a new import
    await expect(runLeadImport(deps, started.id, pieces(bytes, 4096))).rejects.toThrow(/is done/);
    expect((await startLeadImport(deps, { fileName: "big.csv", fingerprint: fingerprint(bytes), sizeBytes: bytes.length })).resumed).toBe(false);
  });

  it("refuses another file under a started import's id, and callers without a credential", async () => {
    const bytes = Buffer.from("email\nfirst@example.com\n");
    const { import: started } = await startLeadImport(server.ctx.deps, { fileName: "a.csv", fingerprint: fingerprint(bytes), sizeBytes: bytes.length });
    const other = await runLeadImport(server.ctx.deps, started.id, pieces(Buffer.from("email\nother@example.com\n"), 100));
    expect(other).toMatchObject({ status: "failed", error: expect.stringMatching(/not the file the import was started with/), created: 0 });
    expect((await server.api("GET", "/api/v1/lead-imports", undefined, null)).status).toBe(401);
    const put = await fetch(`${server.url}/api/v1/lead-imports/${started.id}/file`, { method: "PUT", headers: { "content-type": "text/csv" }, body: bytes });
    expect(put.status).toBe(401);
    expect((await server.api("GET", "/api/v1/lead-imports/not-a-uuid")).status).toBe(404);
  });

  it("lets a signed-in marketer in from the web app, not a sales rep nor another site", async () => {
    await createUser(server.ctx.deps.db, { email: "mia@example.com", password: "correct horse", role: "marketer" });
    await createUser(server.ctx.deps.db, { email: "sam@example.com", password: "correct horse", role: "sales" });
    const get = async (cookie: string, site = "same-origin") =>
      (await fetch(`${server.url}/api/v1/lead-imports`, { headers: { cookie, "sec-fetch-site": site } })).status;
    const marketer = await server.signIn("mia@example.com", "correct horse");
    expect(await get(marketer)).toBe(200);
    expect(await get(marketer, "cross-site")).toBe(403);
    expect(await get(await server.signIn("sam@example.com", "correct horse"))).toBe(403);
    const exported = await fetch(`${server.url}/api/v1/leads/export.csv`, { headers: { cookie: marketer } });
    expect(exported.status).toBe(200);
  });
});
