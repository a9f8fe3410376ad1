import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getImport, listImports, listRejections, uploadImport, type ImportView } from "./import-api.js";
import "../pages.css";

const n = (x: number) => x.toLocaleString();
const finished = (v: ImportView) => v.status === "done" || v.status === "failed";

/** Lead import from CSV (streamed, resumable, with progress) and the export of every lead with its scores. */
export function ImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [delimiter, setDelimiter] = useState("");
  const [encoding, setEncoding] = useState("");
  const [current, setCurrent] = useState<{ id: string; startedAt: number; resumed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recent = useQuery({ queryKey: ["lead-imports"], queryFn: listImports });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const { view, resumed } = await uploadImport(file, { ...(delimiter ? { delimiter } : {}), ...(encoding ? { encoding } : {}) });
      setCurrent({ id: view.id, startedAt: Date.now(), resumed });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ["lead-imports"] });
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>Import and export</h1>
        <a className="button" href="/api/v1/leads/export.csv" download data-testid="export-link">Export all leads (CSV)</a>
      </div>
      <p className="muted page-intro">
        A CSV file with an <code>email</code> column; every other column becomes a lead property. Leads are matched by
        e-mail: new ones are created, known ones updated. Choosing the same file again resumes an import that stopped.
      </p>
      <form className="filters" onSubmit={(e) => void submit(e)}>
        <input type="file" accept=".csv,text/csv,text/plain" aria-label="CSV file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <label>Delimiter{" "}
          <select value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
            <option value="">detect</option><option value=",">,</option><option value=";">;</option><option value={"\t"}>tab</option>
          </select>
        </label>
        <label>Encoding{" "}
          <select value={encoding} onChange={(e) => setEncoding(e.target.value)}>
            <option value="">detect</option><option value="utf-8">UTF-8</option><option value="utf-16le">UTF-16 LE</option>
            <option value="utf-16be">UTF-16 BE</option><option value="latin1">Latin-1 / Windows-1252</option>
          </select>
        </label>
        <button type="submit" disabled={!file || busy}>{busy ? "Uploading…" : "Import"}</button>
      </form>
      {error && <p className="state error" role="alert">{error}</p>}
      {current && <ImportProgress {...current} />}
      <h2>Recent imports</h2>
      <table>
        <thead><tr><th>File</th><th>Status</th><th className="num">Rows</th><th className="num">Created</th><th className="num">Updated</th><th className="num">Rejected</th><th>Started</th></tr></thead>
        <tbody>
          {(recent.data?.imports ?? []).map((v) => (
            <tr key={v.id}>
              <td>{v.fileName}</td><td>{v.status}{v.error ? `: ${v.error}` : ""}</td><td className="num">{n(v.rowsRead)}</td>
              <td className="num">{n(v.created)}</td><td className="num">{n(v.updated)}</td><td className="num">{n(v.rejected)}</td>
              <td>{new Date(v.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The running import: a bar, rows, rate and ETA, polled each second; the rejected rows once it ends. */
function ImportProgress({ id, startedAt, resumed }: { id: string; startedAt: number; resumed: boolean }) {
  const queryClient = useQueryClient();
  const view = useQuery({
    queryKey: ["lead-import", id],
    queryFn: async () => {
      const v = await getImport(id);
      if (finished(v)) await queryClient.invalidateQueries({ queryKey: ["lead-imports"] });
      return v;
    },
    refetchInterval: (q) => (q.state.data && finished(q.state.data) ? false : 1000),
  });
  const v = view.data;
  const rejections = useQuery({ queryKey: ["lead-import-rejections", id], queryFn: () => listRejections(id), enabled: !!v && finished(v) && v.rejected > 0 });
  if (!v) return <p className="muted">Starting…</p>;
  const share = v.sizeBytes > 0 ? Math.min(100, Math.floor((v.bytesRead / v.sizeBytes) * 100)) : 100;
  const seconds = Math.max((Date.now() - startedAt) / 1000, 1);
  const rate = v.rowsRead / seconds;
  const bytesRate = v.bytesRead / seconds;
  const eta = !finished(v) && bytesRate > 0 ? Math.round((v.sizeBytes - v.bytesRead) / bytesRate) : null;
  return (
    <div className="card" data-testid="import-progress">
      <p>{v.fileName}: {v.status}{resumed ? " (resumed)" : ""}</p>
      <progress max={100} value={v.status === "done" ? 100 : share} aria-label="import progress" />
      <p className="small">
        {n(v.rowsRead)} rows ({share}%) · {n(Math.round(rate))} rows/s{eta !== null ? ` · about ${eta} s left` : ""} ·{" "}
        {n(v.created)} created, {n(v.updated)} updated, {n(v.rejected)} rejected
      </p>
      {v.error && <p className="state error" role="alert">{v.error}</p>}
      {rejections.data && rejections.data.rejections.length > 0 && (
        <ul className="small" data-testid="rejections">
          {rejections.data.rejections.map((r) => <li key={r.line}>line {r.line}: {r.message}</li>)}
        </ul>
      )}
    </div>
  );
}
