/**
 * Streamed CSV reading for lead imports: bytes in, rows out, never the whole file in memory.
 * Encoding and delimiter are given or detected from the file's start; csv-parse does the
 * parsing; every bound a hostile file could stretch (row length, columns) is fixed here.
 */
import { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { parse, type Info } from "csv-parse";
import { z } from "zod";

export const CsvDelimiter = z.enum([",", ";", "\t"]);
export type CsvDelimiter = z.infer<typeof CsvDelimiter>;
/** `latin1` decodes as Windows-1252, as the WHATWG decoders do (what spreadsheet tools write) */
export const CsvEncoding = z.enum(["utf-8", "utf-16le", "utf-16be", "latin1"]);
export type CsvEncoding = z.infer<typeof CsvEncoding>;

/** A row (its quoted line breaks included) is at most this many characters. */
export const MAX_ROW_CHARS = 1024 * 1024;
/** How much of the file's start the encoding and delimiter are detected from. */
export const HEAD_BYTES = 64 * 1024;

export class CsvFormatError extends Error {}

export interface CsvRow {
  /** the file line the row starts on (1 = the header) */
  line: number;
  fields: string[];
}

/** The encoding of a file from its first bytes: a BOM, NUL bytes of UTF-16 text, valid UTF-8, else Latin-1. */
export function detectEncoding(head: Uint8Array): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  const sample = head.subarray(0, 1024);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++);
  if (oddNul > sample.length / 4 && evenNul === 0) return "utf-16le";
  if (evenNul > sample.length / 4 && oddNul === 0) return "utf-16be";
  try {
    // stream: a character cut at the sample's end is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return "latin1";
  }
}

/** The delimiter of a file from its header line: the most frequent of , ; tab outside quotes (`,` on a tie or none). */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c in counts) counts[c as CsvDelimiter]++;
  }
  let best: CsvDelimiter = ",";
  for (const d of CsvDelimiter.options) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Refuses a row longer than MAX_ROW_CHARS before csv-parse builds it: csv-parse bounds a row's
 * field text, not its count of (empty) fields. Quotes toggle the state (an escaped "" toggles
 * twice); a line break outside quotes ends a row.
 */
class RowLengthGuard {
  private quoted = false;
  private length = 0;
  private line = 1;
  check(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) this.quoted = !this.quoted;
      else if (c === 0x0a) {
        this.line++;
        if (!this.quoted) this.length = 0;
      }
      if (++this.length > MAX_ROW_CHARS) throw new CsvFormatError(`line ${this.line}: a row is longer than ${MAX_ROW_CHARS} characters`);
    }
  }
}

/** Line breaks (CRLF, LF or CR) inside a row's quoted fields. */
function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) if (f.includes("\n") || f.includes("\r")) n += f.match(/\r\n|\r|\n/g)!.length;
  return n;
}

/** Reads CSV rows from a byte stream; `bytesRead`, `encoding` and `delimiter` are known once reading began. */
export class CsvReader {
  bytesRead = 0;
  encoding: CsvEncoding | undefined;
  delimiter: CsvDelimiter | undefined;
  /** the file's first HEAD_BYTES (the import's fingerprint is taken over them) */
  head: Uint8Array = new Uint8Array();

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    given: { delimiter?: CsvDelimiter | null; encoding?: CsvEncoding | null } = {},
  ) {
    this.encoding = given.encoding ?? undefined;
    this.delimiter = given.delimiter ?? undefined;
  }

  /** The rows, the header first; a malformed file throws CsvFormatError naming the line. */
  async *rows(): AsyncGenerator<CsvRow> {
    const bytes = this.source[Symbol.asyncIterator]();
    const head = await this.readHead(bytes);
    this.encoding ??= detectEncoding(head);
    const decoder = new TextDecoder(this.encoding, { fatal: true });
    const first = this.decode(decoder, head, true);
    this.delimiter ??= detectDelimiter(first);
    // any line break ends a row: files edited by several tools mix CRLF and LF
    const parser = parse({ delimiter: this.delimiter, record_delimiter: ["\r\n", "\n", "\r"], relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_ROW_CHARS });
    const input = Readable.from(this.texts(bytes, decoder, first));
    input.on("error", (e) => parser.destroy(e));
    input.pipe(parser);
    // line numbers counted here: csv-parse's own count takes a CRLF inside quotes as two lines
    let end = 0;
    let empty = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        const line = end + 1 + (info.empty_lines - empty);
        end = line + lineBreaks(record);
        empty = info.empty_lines;
        yield { line, fields: record };
      }
    } catch (e) {
      if (e instanceof CsvFormatError) throw e;
      const code = (e as { code?: string }).code;
      if (typeof code === "string" && code.startsWith("CSV_")) throw new CsvFormatError((e as Error).message);
      throw e;
    } finally {
      input.destroy();
      parser.destroy();
    }
  }

  private async readHead(bytes: AsyncIterator<Uint8Array>): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < HEAD_BYTES) {
      const next = await bytes.next();
      if (next.done) break;
      parts.push(next.value);
      size += next.value.length;
    }
    const all = Buffer.concat(parts);
    this.bytesRead = all.length;
    this.head = all.subarray(0, HEAD_BYTES);
    return all;
  }

  private decode(decoder: TextDecoder, chunk: Uint8Array | undefined, stream: boolean): string {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new CsvFormatError(`the file is not valid ${this.encoding} near byte ${this.bytesRead}: give its encoding (utf-8, utf-16le, utf-16be or latin1)`);
    }
  }

  private async *texts(bytes: AsyncIterator<Uint8Array>, decoder: TextDecoder, first: string): AsyncGenerator<string> {
    const guard = new RowLengthGuard();
    guard.check(first);
    yield first;
    for (;;) {
      const next = await bytes.next();
      if (next.done) break;
      this.bytesRead += next.value.length;
      const text = this.decode(decoder, next.value, true);
      guard.check(text);
      if (text) yield text;
    }
    const rest = this.decode(decoder, undefined, false);
    if (rest) yield rest;
  }
}
