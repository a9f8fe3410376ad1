import { describe, expect, it } from "vitest";
import { ConditionOp } from "@leadflow/flow";
import { isBehaviourCount, isUrlField, opLabels, opsFor, opValue, valuePlaceholder } from "./condition-ops.js";

describe("condition operators in the editor", () => {
  it("labels every operator the server knows, glob included", () => {
    for (const op of ConditionOp.options) expect(opLabels[op]).toBeTruthy();
    expect(opLabels.glob).toBe("matches page rule");
  });

  it("offers page rules first for URL-ish fields, numbers first for behaviour fields, and always every operator", () => {
    expect(opsFor("event.properties.url").slice(0, 4)).toEqual(["contains", "startsWith", "glob", "matches"]);
    expect(opsFor("event.properties.referrer")[2]).toBe("glob");
    expect(opsFor("behaviour.count.page_view.7d")[0]).toBe("gte");
    expect(opsFor("lead.country")[0]).toBe("eq");
    for (const f of ["event.properties.url", "behaviour.daysSince.demo_request", "lead.country"]) {
      expect([...opsFor(f)].sort()).toEqual([...ConditionOp.options].sort());
    }
  });

  it("knows URL fields and counts, and hints a page rule", () => {
    expect(isUrlField("event.properties.url")).toBe(true);
    expect(isUrlField("event.properties.landingPage")).toBe(true);
    expect(isUrlField("lead.country")).toBe(false);
    expect(isBehaviourCount("behaviour.count.page_view.7d")).toBe(true);
    expect(isBehaviourCount("behaviour.daysSince.demo_request")).toBe(false);
    expect(valuePlaceholder("glob", "event.properties.url")).toBe("/pricing/**");
  });

  it("knows which value each operator takes", () => {
    expect([opValue("in"), opValue("notIn"), opValue("gte"), opValue("exists"), opValue("eq")]).toEqual(["list", "list", "number", "none", "text"]);
    expect(opValue("not-an-op")).toBe("text");
  });
});
