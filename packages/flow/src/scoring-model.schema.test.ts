import { describe, expect, it } from "vitest";
import { ScoringModel } from "./scoring-model.schema.js";

const rulesOf = (fitRules: unknown[]) => {
  const r = ScoringModel.safeParse({ fitRules });
  return r.success ? r.data.fitRules : r.error.issues.map((i) => i.message);
};

describe("fit rules on behaviour", () => {
  it("keeps a behaviour field and its count where, and still reads a bare dotted name as a lead property", () => {
    const where = [{ field: "event.properties.url", op: "glob", value: "/docs/**" }];
    expect(rulesOf([{ field: "behaviour.count.page_view.30d", where, op: "gte", value: 3, points: 20 }])).toEqual([
      { field: "behaviour.count.page_view.30d", where, op: "gte", value: 3, points: 20 },
    ]);
    expect(rulesOf([{ field: "behaviour.tag", op: "eq", value: "x", points: 1 }])).toEqual([{ field: "lead.behaviour.tag", op: "eq", value: "x", points: 1 }]);
  });

  it("refuses a where on a field that is not a count, with a sentence", () => {
    expect(rulesOf([{ field: "country", op: "eq", value: "DK", points: 1, where: [] }])).toEqual(["only a behaviour.count field takes a where"]);
  });
});
