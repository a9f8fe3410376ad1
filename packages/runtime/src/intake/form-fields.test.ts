import { describe, expect, it } from "vitest";
import { formFields } from "./form-fields.js";

describe("formFields", () => {
  it("keeps the person's scalar fields and drops page metadata, objects and odd names", () => {
    expect(
      formFields({
        url: "/contact", formId: "f1", firstName: " Anna ", companySize: 40, newsletter: true, email: "a@b.c",
        nested: { a: 1 }, empty: "", "bad key": "x", long: "x".repeat(2001),
      }),
    ).toEqual({ firstName: "Anna", companySize: 40, newsletter: true });
  });
});
