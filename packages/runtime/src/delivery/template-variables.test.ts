import { describe, expect, it } from "vitest";
import { SAMPLE_LEAD } from "./template-preview.js";
import { leadVariables, templateVariables } from "./template-variables.js";
import { matchingFitRules } from "../scoring/fit-explanation.js";

describe("template variables", () => {
  it("give a template the lead's properties and its id, e-mail, stage, tier and scores, over any property of the same name", () => {
    const lead = { ...SAMPLE_LEAD, properties: { firstName: "Anna", stage: "from a form", score: "high" } };
    expect(leadVariables(lead)).toEqual({
      firstName: "Anna", id: SAMPLE_LEAD.id, email: "anna@example.com", stage: "lead", tier: "Warm", score: 42,
      scores: { fit: 20, engagement: 22, total: 42, categories: {} },
    });
    expect(templateVariables(lead, "https://x/u/t")).toMatchObject({ owner: SAMPLE_LEAD.owner, unsubscribe_url: "https://x/u/t" });
  });

  it("list the fit rules a lead matches, with their points", () => {
    const rules = [
      { field: "country", op: "eq", value: "HU", points: 10 },
      { field: "country", op: "eq", value: "DE", points: 5 },
    ] as Parameters<typeof matchingFitRules>[0];
    expect(matchingFitRules(rules, SAMPLE_LEAD)).toEqual([{ field: "country", op: "eq", value: "HU", points: 10 }]);
  });
});
