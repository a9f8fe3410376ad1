import { describe, expect, it } from "vitest";
import { validate } from "../validate.js";
import { galleryFlows } from "./index.js";

describe("gallery flows", () => {
  it.each(galleryFlows.map((g) => [g.id, g] as const))("%s is a valid document", (_id, g) => {
    const r = validate(g.document);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});
