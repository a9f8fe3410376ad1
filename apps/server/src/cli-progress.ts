import type { LeadImportView } from "@leadflow/runtime";

const n = (x: number) => x.toLocaleString("en-US");
const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (v: number) => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
};

/**
 * An import's progress line: rows, share of the file, rate (rows/s over this run) and ETA (the
 * bytes left at this run's byte rate). On a terminal it rewrites one line; otherwise it writes a
 * line at most every `everyMs`, for logs.
 */
export class ImportProgress {
  private readonly startedAt = Date.now();
  private firstRows: number | undefined;
  private firstBytes = 0;
  private lastWritten = 0;

  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean } = process.stderr,
    private readonly everyMs = 5000,
  ) {}

  /** The line for this view (exported for the test). */
  line(view: LeadImportView, now = Date.now()): string {
    if (this.firstRows === undefined) {
      this.firstRows = view.rowsRead;
      this.firstBytes = view.bytesRead;
    }
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = (view.rowsRead - this.firstRows) / seconds;
    const byteRate = (view.bytesRead - this.firstBytes) / seconds;
    const share = view.sizeBytes > 0 ? Math.min(100, Math.floor((view.bytesRead / view.sizeBytes) * 100)) : 100;
    const eta = byteRate > 0 ? ` · ETA ${clock((view.sizeBytes - view.bytesRead) / byteRate)}` : "";
    return `${n(view.rowsRead)} rows (${share}%) · ${n(Math.round(rate))} rows/s${eta} · ${n(view.created)} created, ${n(view.updated)} updated, ${n(view.rejected)} rejected`;
  }

  update(view: LeadImportView): void {
    const now = Date.now();
    const text = this.line(view, now);
    if (this.out.isTTY) this.out.write(`\r${text}\u001b[K`);
    else if (now - this.lastWritten >= this.everyMs) {
      this.out.write(`${text}\n`);
      this.lastWritten = now;
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write("\n");
  }
}
