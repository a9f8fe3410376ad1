/**
 * The import routes (REST, with the session cookie) as the import page uses them. The file is
 * sent as the request body, which the browser streams from disk; the page then polls progress.
 */
import type { LeadImportView } from "@leadflow/api";

/** One import as the routes answer it (the runtime's type, through the API package's types). */
export type ImportView = LeadImportView;

const BASE = "/api/v1";

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(BASE + path, { credentials: "same-origin", ...init });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `the server answered ${res.status}`);
  return body;
}

/** sha256 (hex) of the file's first 64 KiB: the server recognises the same file to resume by it. */
async function fingerprint(file: File): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error("this browser offers no SHA-256 here (open Leadflow over https or localhost), or use pnpm leadflow leads import");
  const digest = await crypto.subtle.digest("SHA-256", await file.slice(0, 64 * 1024).arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Starts (or resumes) the import of `file` and uploads it; returns the import to poll. */
export async function uploadImport(file: File, options: { delimiter?: string; encoding?: string }): Promise<{ view: ImportView; resumed: boolean }> {
  const start = { fileName: file.name || "leads.csv", fingerprint: await fingerprint(file), sizeBytes: file.size, ...options };
  const started = await call<{ import: ImportView; resumed: boolean }>("/lead-imports", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(start),
  });
  const view = await call<ImportView>(`/lead-imports/${started.import.id}/file`, { method: "PUT", headers: { "content-type": "text/csv" }, body: file });
  return { view, resumed: started.resumed };
}

export const getImport = (id: string) => call<ImportView>(`/lead-imports/${id}`);
export const listImports = () => call<{ imports: ImportView[] }>("/lead-imports");
export const listRejections = (id: string) => call<{ rejections: { line: number; message: string }[] }>(`/lead-imports/${id}/rejections?limit=200`);
