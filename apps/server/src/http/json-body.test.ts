import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { registerJsonBody } from "./json-body.js";

describe("the JSON body parser", () => {
  const app = Fastify();
  registerJsonBody(app);
  app.post("/", async (request) => ({ ok: true, body: request.body }));
  afterAll(() => app.close());

  const post = async (payload: string) => {
    const r = await app.inject({ method: "POST", url: "/", headers: { "content-type": "application/json" }, payload });
    return { status: r.statusCode, message: (r.json() as { message?: string }).message ?? "" };
  };

  it("names a __proto__ or constructor.prototype key as the reason, not a syntax error", async () => {
    for (const body of ['{"events":[{"properties":{"__proto__":{"x":1}}}]}', '{"constructor":{"prototype":{"x":1}}}']) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.message).toMatch(/__proto__ or constructor\.prototype key/);
    }
  });

  it("still calls broken JSON broken, and takes a plain body", async () => {
    const broken = await post('{"a":');
    expect(broken.status).toBe(400);
    expect(broken.message).toMatch(/not valid JSON/);
    expect(broken.message).not.toMatch(/__proto__/);
    expect((await post('{"a":1,"constructor":"x"}')).status).toBe(200);
  });

  it("takes an empty (or blank) body as no body", async () => {
    for (const payload of ["", " \r\n"]) {
      const r = await app.inject({ method: "POST", url: "/", headers: { "content-type": "application/json" }, payload });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ ok: true });
    }
  });
});
