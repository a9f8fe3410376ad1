import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { AppError, type LeadImportView } from "@leadflow/runtime";

/** How often the CLI asks a running import's progress, and how long it waits for it to start. */
const POLL_MS = 500;
const START_WAIT_MS = 30_000;

/** The import routes of the server that owns the embedded database, with its control token. */
export class RemoteImports {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, path: string, init: { body?: unknown; json?: unknown; type?: string } = {}): Promise<T> {
    const headers: Record<string, string> = { "x-leadflow-control": this.token };
    if (init.json !== undefined) headers["content-type"] = "application/json";
    if (init.type) headers["content-type"] = init.type;
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : (init.body as never),
      // a streamed request body
      ...(init.body !== undefined ? { duplex: "half" } : {}),
    } as RequestInit);
    const text = await res.text();
    const body = text ? (JSON.parse(text) as T & { error?: { message: string } }) : ({} as T & { error?: { message: string } });
    if (!res.ok) throw new AppError("unavailable", `the running server refused: ${body.error?.message ?? res.status}`);
    return body;
  }

  start(file: unknown): Promise<{ import: LeadImportView; resumed: boolean }> {
    return this.call("POST", "/lead-imports", { json: file });
  }

  /** Streams the file up (never read whole); the server answers once it has it all. */
  async upload(id: string, path: string): Promise<void> {
    await this.call("PUT", `/lead-imports/${id}/file`, { body: createReadStream(path), type: "text/csv" });
  }

  /** Polls the import until it is done or failed; each view goes to `onProgress`. */
  async waitFor(id: string, onProgress: (view: LeadImportView) => void): Promise<LeadImportView> {
    const since = Date.now();
    for (;;) {
      const view = await this.call<LeadImportView>("GET", `/lead-imports/${id}`);
      onProgress(view);
      if (view.status === "done" || view.status === "failed") return view;
      if (view.status !== "running" && Date.now() - since > START_WAIT_MS) {
        throw new AppError("unavailable", `import ${id} is ${view.status}: run the command again to resume it`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async rejections(id: string, limit: number): Promise<{ line: number; message: string }[]> {
    return (await this.call<{ rejections: { line: number; message: string }[] }>("GET", `/lead-imports/${id}/rejections?limit=${limit}`)).rejections;
  }

  async exportStream(): Promise<Readable> {
    const res = await fetch(`${this.base}/api/v1/leads/export.csv`, { headers: { "x-leadflow-control": this.token } });
    if (!res.ok || !res.body) throw new AppError("unavailable", `the running server refused the export (${res.status})`);
    return Readable.fromWeb(res.body as never);
  }
}
