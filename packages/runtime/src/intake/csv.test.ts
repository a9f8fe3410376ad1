import { describe, it, expect } from "vitest";
import { parseCsv } from "./csv.js";

describe("parseCsv", () => {
  it("reads quoted fields, escaped quotes, CRLF and newlines in quotes", () => {
    const r = parseCsv('email,firstName,note\r\nanna@x.io,Anna,"says ""hi"", twice"\nben@y.io,Ben,"two\nlines"\n');
    expect(r).toEqual({
      ok: true,
      rows: [
        { email: "anna@x.io", firstName: "Anna", note: 'says "hi", twice' },
        { email: "ben@y.io", firstName: "Ben", note: "two\nlines" },
      ],
    });
  });
  it("reports a row with the wrong number of fields by line", () => {
    expect(parseCsv("email,a\nx@y.z,1,2\n")).toEqual({ ok: false, line: 2, message: "expected 2 fields, found 3" });
  });
  it("reports an unterminated quote", () => {
    expect(parseCsv('email\n"x@y.z\n')).toMatchObject({ ok: false, message: "unterminated quoted field" });
  });
});
