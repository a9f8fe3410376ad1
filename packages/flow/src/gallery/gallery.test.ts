import { describe, expect, it } from "vitest";
import { validate } from "../validate.js";
import { compile } from "../compile.js";
import type { EvalContext } from "../compiled.types.js";
import { galleryFlows } from "./index.js";

describe("gallery flows", () => {
  it.each(galleryFlows.map((g) => [g.id, g] as const))("%s is a valid document", (_id, g) => {
    const r = validate(g.document);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});

describe("page-value scoring on real URLs", () => {
  const doc = galleryFlows.find((g) => g.id === "page-value-scoring")!.document;
  const r = validate(doc);
  if (!r.ok) throw new Error("page-value-scoring is invalid");
  const flow = compile(r.value, 1);
  const triggersFor = (url: string): string[] => {
    const ctx: EvalContext = {
      lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
      scores: { total: 0, fit: 0, engagement: 0, categories: {} },
      tier: "",
      event: { type: "page_view", properties: { url } },
    };
    return flow.triggers.filter((id) => flow.nodes.get(id)!.test!(ctx)).map((id) => id.slice(2));
  };

  it.each([
    ["https://example.com/contact?utm_source=newsletter", ["contact"]],
    ["https://example.com/en/Book-A-Meeting/", ["contact"]],
    ["/contact-us#form", ["contact"]],
    ["https://example.com/products/crm?utm_campaign=x", ["product"]],
    ["/PRODUCTS/crm/pricing", ["product"]],
    ["https://example.com/products/?utm_source=x", ["overview"]],
    ["/Solutions", ["overview"]],
    ["https://example.com", ["home"]],
    ["https://example.com/?utm_source=google&utm_medium=cpc", ["home"]],
    ["/", ["home"]],
    ["https://example.com/careers/engineer", ["internal"]],
    ["/app/login?next=/products/crm", ["internal"]],
    ["https://example.com/blog/how-to-contact-sales", []],
    ["https://example.com/productsx", []],
  ])("%s scores as %j", (url, expected) => {
    expect(triggersFor(url)).toEqual(expected);
  });
});
