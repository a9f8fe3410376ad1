/**
 * Typed bulk writes: many rows sent as ONE jsonb parameter read by `jsonb_to_recordset`, so a
 * batch of thousands of rows is one statement with a handful of binds (nothing to build, send
 * or plan per row). The columns are declared per table with their PostgreSQL type; a key that
 * is not a column of that table does not compile (declare specs with `satisfies RecordColumns<…>`),
 * and every name reaches SQL as an identifier, never as raw text.
 */
import { sql, type RawBuilder, type SelectType } from "kysely";
import type { DB } from "./tables.js";

/** The types a record's column is read as: a closed list, nothing from outside becomes SQL. */
const TYPES = {
  uuid: sql`uuid`, text: sql`text`, int: sql`int`, int8: sql`int8`, float8: sql`float8`, jsonb: sql`jsonb`, timestamptz: sql`timestamptz`,
} as const;
export type RecordType = keyof typeof TYPES;

export type TableName = keyof DB & string;
/** The columns of table T a bulk write carries, each with the type it is read as. */
export type RecordColumns<T extends TableName> = { readonly [C in keyof DB[T] & string]?: RecordType };

/** A column's value in a record: as read (JSON as objects), a time also as ISO text. */
type RecordValue<C> = SelectType<C> | (Date extends SelectType<C> ? string : never);
/** One row of a bulk write to table T with the columns of spec S. */
export type RecordOf<T extends TableName, S> = { [C in keyof S & keyof DB[T]]: RecordValue<DB[T][C]> };

export function columnsOf<T extends TableName>(columns: RecordColumns<T>): (keyof DB[T] & string)[] {
  return Object.keys(columns) as (keyof DB[T] & string)[];
}

/** `jsonb_to_recordset($rows::jsonb) AS v(column type, …)`: the rows as a relation named `v`. */
export function recordset<T extends TableName>(columns: RecordColumns<T>, rows: readonly object[]): RawBuilder<unknown> {
  const defs = columnsOf(columns).map((c) => sql`${sql.id(c)} ${TYPES[columns[c]!]}`);
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(${sql.join(defs)})`;
}

/**
 * `INSERT INTO table (columns) SELECT columns FROM recordset [ORDER BY v.orderBy] [tail]`; the
 * tail is an ON CONFLICT or RETURNING clause. `orderBy` sets the order rows are inserted (and
 * so the order concurrent inserters take unique-key locks in).
 */
export function insertRecords<T extends TableName, S extends RecordColumns<T>>(
  table: T,
  columns: S,
  rows: readonly RecordOf<T, S>[],
  options: { orderBy?: keyof S & string; tail?: RawBuilder<unknown> } = {},
): RawBuilder<unknown> {
  const names = sql.join(columnsOf(columns).map((c) => sql.id(c)));
  const order = options.orderBy ? sql`ORDER BY ${sql.ref(`v.${options.orderBy}`)}` : sql``;
  return sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM ${recordset(columns, rows)} ${order} ${options.tail ?? sql``}`;
}

/** Slices of at most `size` items (one statement each keeps a statement's JSON parameter bounded). */
export function* chunks<T>(items: readonly T[], size = 1000): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
