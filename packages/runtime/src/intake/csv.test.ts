import { describe, it, expect } from "vitest";
import { CsvFormatError, CsvReader, detectDelimiter, detectEncoding, MAX_ROW_CHARS } from "./csv.js";

async function* bytesOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === "string" ? Buffer.from(p, "utf8") : p;
}
async function rowsOf(reader: CsvReader) {
  const rows = [];
  for await (const r of reader.rows()) rows.push(r);
  return rows;
}

describe("CsvReader", () => {
  it("reads quoted fields, escaped quotes, CRLF and line breaks in quotes, with each row's first line", async () => {
    const rows = await rowsOf(new CsvReader(bytesOf('email,firstName,note\r\nanna@x.io,Anna,"says ""hi"", twice"\n\nben@y.io,Ben,"two\nlines"\ncat@z.io,Cat,x\n')));
    expect(rows).toEqual([
      { line: 1, fields: ["email", "firstName", "note"] },
      { line: 2, fields: ["anna@x.io", "Anna", 'says "hi", twice'] },
      { line: 4, fields: ["ben@y.io", "Ben", "two\nlines"] },
      { line: 6, fields: ["cat@z.io", "Cat", "x"] },
    ]);
  });
  it("detects ; and tab delimiters from the header, and takes a given one", async () => {
    const semi = new CsvReader(bytesOf("email;company\na@x.io;Acme, Inc.\n"));
    expect((await rowsOf(semi))[1]!.fields).toEqual(["a@x.io", "Acme, Inc."]);
    expect(semi.delimiter).toBe(";");
    expect(detectDelimiter("email\tname\tcountry\n")).toBe("\t");
    expect(detectDelimiter('"a;b",c\n')).toBe(",");
    const given = new CsvReader(bytesOf("email;x,y\na@x.io;1,2\n"), { delimiter: "," });
    expect((await rowsOf(given))[1]!.fields).toEqual(["a@x.io;1", "2"]);
  });
  it("detects UTF-8 with a BOM, UTF-16 and Latin-1, and decodes them", async () => {
    const text = "email,city\nzoe@x.io,Zürich\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(Buffer.from(text, "utf16le").map((_, i, b) => b[i ^ 1]!));
    const cases: [Uint8Array, string][] = [
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "utf-8"],
      [le, "utf-16le"],
      [Buffer.from(text, "utf16le"), "utf-16le"],
      [be, "utf-16be"],
      [Buffer.from(text, "latin1"), "latin1"],
    ];
    for (const [bytes, encoding] of cases) {
      expect(detectEncoding(bytes)).toBe(encoding);
      const reader = new CsvReader(bytesOf(bytes));
      expect(await rowsOf(reader)).toEqual([{ line: 1, fields: ["email", "city"] }, { line: 2, fields: ["zoe@x.io", "Zürich"] }]);
    }
  });
  it("decodes a character split across chunks", async () => {
    const bytes = Buffer.from("email,city\nzoe@x.io,Zürich\n");
    const cut = bytes.indexOf(0xc3) + 1;
    const reader = new CsvReader(bytesOf(bytes.subarray(0, cut), bytes.subarray(cut)), { encoding: "utf-8" });
    expect((await rowsOf(reader))[1]!.fields[1]).toBe("Zürich");
  });
  it("reports an unterminated quote, invalid bytes and an overlong row as format errors", async () => {
    await expect(rowsOf(new CsvReader(bytesOf('email\n"x@y.z\n')))).rejects.toThrow(CsvFormatError);
    await expect(rowsOf(new CsvReader(bytesOf(Buffer.from([0x65, 0x0a, 0xff, 0xfe, 0x0a])), { encoding: "utf-8" }))).rejects.toThrow(/not valid utf-8/);
    const wide = "email" + ",".repeat(MAX_ROW_CHARS) + "\n";
    await expect(rowsOf(new CsvReader(bytesOf(wide)))).rejects.toThrow(/line 1: a row is longer than/);
  });
});
