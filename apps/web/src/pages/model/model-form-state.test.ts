import { describe, expect, it } from "vitest";
import { fieldPath, fromForm, toForm, type Form, type Model } from "./model-form-state.js";

const model = {
  fitRules: [
    { field: "lead.country", op: "in", value: ["DK", "SE"], points: 10 },
    { field: "companySize", op: "gte", value: 100, points: 5 },
    { field: "jobTitle", op: "exists", points: 3 },
  ],
  tiers: [{ name: "Hot", min: 50 }, { name: "Cold", min: 0 }],
  decay: { kind: "halfLife", days: 30 },
  categoryCaps: { pageviews: 30 },
} as unknown as Model;

describe("the model form", () => {
  it("round-trips a model: lists comma-separated, numbers as numbers, no value for exists", () => {
    const { model: back, problems } = fromForm(toForm(model));
    expect(problems).toEqual([]);
    expect(back).toEqual({
      fitRules: [
        { field: "country", op: "in", value: ["DK", "SE"], points: 10 },
        { field: "companySize", op: "gte", value: 100, points: 5 },
        { field: "jobTitle", op: "exists", points: 3 },
      ],
      tiers: model.tiers,
      decay: model.decay,
      categoryCaps: model.categoryCaps,
    });
  });

  it("lists what the browser can already see is wrong", () => {
    const form: Form = {
      rules: [
        { key: 1, field: "", op: "in", value: " , ", points: "x" },
        { key: 2, field: "size", op: "gt", value: "many", points: "1" },
        { key: 3, field: "title", op: "eq", value: "", points: "1" },
      ],
      tiers: [],
      decayKind: "expire",
      decayDays: "0",
      caps: [{ key: 4, name: "", cap: "-1" }],
    };
    expect(fromForm(form).problems).toEqual([
      "Fit rule 1: the field is empty",
      "Fit rule 1: points must be a number",
      "Fit rule 1: give at least one value (comma-separated)",
      "Fit rule 2: “>” needs a number",
      "Fit rule 3: the value is empty",
      "Keep at least one tier",
      "Decay: the number of days must be more than 0",
      "Category cap 1: the category is empty",
      "Category cap 1: the cap must be a number above 0",
    ]);
  });

  it("names server field paths in words", () => {
    expect(fieldPath("fitRules.2.value")).toBe("Fit rule 3 · value");
    expect(fieldPath("decay.days")).toBe("Decay · days");
  });
});
