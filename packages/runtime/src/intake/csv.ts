/**
 * Parses RFC 4180 CSV (quoted fields, "" escapes, CRLF or LF); the first row names the columns.
 * Returns the rows as records, or the line number of the first malformed row.
 */
export function parseCsv(text: string): { ok: true; rows: Record<string, string>[] } | { ok: false; line: number; message: string } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      line++;
    } else field += c;
  }
  if (quoted) return { ok: false, line, message: "unterminated quoted field" };
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0] === ""));
  const [header, ...rest] = nonEmpty;
  if (!header) return { ok: true, rows: [] };
  const names = header.map((h) => h.trim());
  for (const [i, r] of rest.entries()) {
    if (r.length !== names.length) return { ok: false, line: i + 2, message: `expected ${names.length} fields, found ${r.length}` };
  }
  return { ok: true, rows: rest.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]!]))) };
}
