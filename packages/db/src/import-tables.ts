import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint columns: pg reads them as text */
type BigCount = ColumnType<string | number, number | undefined, number>;

/** A streamed CSV lead import and its progress (0011). */
export interface LeadImportTable {
  id: string;
  file_name: string;
  /** sha256 of the file's first 64 KiB: a resumed import must be given the same file */
  fingerprint: string;
  size_bytes: ColumnType<string | number, number, number>;
  /** as given or detected at the first run */
  delimiter: string | null;
  encoding: string | null;
  /** pending | running | done | failed */
  status: Generated<string>;
  /** data rows consumed (committed or rejected) after the header, up to the last committed chunk */
  rows_read: Generated<number>;
  /** the file line the last committed chunk ended on */
  last_line: Generated<number>;
  bytes_read: BigCount;
  created: Generated<number>;
  updated: Generated<number>;
  rejected: Generated<number>;
  error: string | null;
  created_at: Timestamp;
  started_at: MaybeTimestamp;
  /** moved at each committed chunk: a running import whose heartbeat stopped was interrupted */
  heartbeat_at: MaybeTimestamp;
  finished_at: MaybeTimestamp;
}

export interface LeadImportRejectionTable {
  import_id: string;
  line: number;
  message: string;
}

/** The import tables, part of DB (tables.ts). */
export interface ImportTables {
  lead_imports: LeadImportTable;
  lead_import_rejections: LeadImportRejectionTable;
}
