import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { REP_ID_PATTERN, slugify } from "@leadflow/flow";
import { QueryView } from "../ui/states.js";
import "./pages.css";

type Rep = Outputs["reps"]["list"][number];
interface Row {
  key: number;
  id: string;
  name: string;
  email: string;
  territories: string;
  active: boolean;
  capacity: string;
  leads: number | null;
  isNew: boolean;
}

let nextKey = 1;
const toRows = (reps: Rep[]): Row[] =>
  reps.map((r) => ({
    key: nextKey++, id: r.id, name: r.name, email: r.email, territories: r.territories.join(", "), active: r.active,
    capacity: r.capacity === null ? "" : String(r.capacity), leads: r.leads, isNew: false,
  }));

export function RepsPage() {
  const trpc = useTRPC();
  const q = useQuery(trpc.reps.list.queryOptions());
  return (
    <div>
      <h1>Sales reps</h1>
      <p className="muted page-intro">
        The people hot leads are handed to. A flow’s “assign to sales” step picks a rep <strong>round-robin in the order of
        this list</strong> (or the least loaded rep, or by territory), skipping inactive reps and reps at capacity. Territories
        (e.g. country codes <span className="mono">HU, AT</span>) are used by territory assignment. Removing a rep deactivates
        them: they get no new leads and their leads keep them as owner.
      </p>
      <QueryView query={q}>{(reps) => <RepsForm initial={reps} />}</QueryView>
    </div>
  );
}

function RepsForm({ initial }: { initial: Rep[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>(() => toRows(initial));
  const [problems, setProblems] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);
  const save = useMutation(
    trpc.reps.save.mutationOptions({
      onSuccess: (reps) => {
        setRows(toRows(reps));
        setDirty(false);
        queryClient.setQueryData(trpc.reps.list.queryKey(), reps);
      },
    }),
  );
  const update = (next: Row[]) => {
    setRows(next);
    setDirty(true);
    if (save.isSuccess || save.isError) save.reset();
  };
  const setRow = (i: number, patch: Partial<Row>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    const next = [...rows];
    [next[i], next[j]] = [next[j]!, next[i]!];
    update(next);
  };
  const remove = (i: number) => {
    const r = rows[i]!;
    if (!r.isNew && !window.confirm(`Remove ${r.name || r.id}? They are deactivated and get no new leads; their ${r.leads ?? 0} lead(s) keep them as owner.`)) return;
    update(rows.filter((_, j) => j !== i));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: string[] = [];
    const seen = new Set<string>();
    const reps = rows.map((r, i) => {
      const n = `Row ${i + 1}${r.name ? ` (${r.name})` : ""}`;
      if (!REP_ID_PATTERN.test(r.id)) found.push(`${n}: the id needs letters, digits, _ . - (no spaces)`);
      if (seen.has(r.id)) found.push(`${n}: the id ${r.id} is used twice`);
      seen.add(r.id);
      if (!r.name.trim()) found.push(`${n}: the name is empty`);
      if (!/^\S+@\S+\.\S+$/.test(r.email.trim())) found.push(`${n}: the e-mail address is not valid`);
      const capacity = r.capacity.trim() === "" ? null : Number(r.capacity);
      if (capacity !== null && !(Number.isInteger(capacity) && capacity > 0)) found.push(`${n}: capacity must be a whole number above 0, or empty for no limit`);
      return {
        id: r.id.trim(), name: r.name.trim(), email: r.email.trim(),
        territories: r.territories.split(",").map((t) => t.trim()).filter(Boolean), active: r.active, capacity,
      };
    });
    setProblems(found);
    if (found.length === 0) save.mutate({ reps });
  };

  const fields = save.error?.data?.fields as { path: string; message: string }[] | undefined;
  const fieldText = (path: string) => {
    const m = /^reps\.(\d+)\.?(.*)$/.exec(path);
    return m ? `Row ${Number(m[1]) + 1}${m[2] ? ` · ${m[2]}` : ""}` : path;
  };

  return (
    <form onSubmit={submit}>
      <div className="table-wrap">
        <table className="edit" data-testid="reps-table">
          <thead>
            <tr>
              <th title="round-robin order">#</th>
              <th>Id</th>
              <th>Name</th>
              <th>E-mail</th>
              <th>Territories</th>
              <th>Active</th>
              <th title="most leads the rep may own; empty = no limit">Capacity</th>
              <th className="num">Leads now</th>
              <th><span className="sr-only">Order and remove</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr><td colSpan={9} className="muted">No sales reps yet. Add the first one below.</td></tr>
            )}
            {rows.map((r, i) => (
              <tr key={r.key} data-testid="rep-row" className={r.active ? "" : "muted"}>
                <td className="muted">{i + 1}</td>
                <td>
                  <label className="sr-only" htmlFor={`rep-id-${r.key}`}>Id of row {i + 1}</label>
                  <input id={`rep-id-${r.key}`} value={r.id} readOnly={!r.isNew} title={r.isNew ? "" : "the id of a saved rep cannot change"} onChange={(e) => setRow(i, { id: e.target.value })} />
                </td>
                <td>
                  <label className="sr-only" htmlFor={`rep-name-${r.key}`}>Name of row {i + 1}</label>
                  <input
                    id={`rep-name-${r.key}`}
                    value={r.name}
                    onChange={(e) => {
                      const name = e.target.value;
                      // new rows: the id follows the name until edited
                      setRow(i, r.isNew && (r.id === "" || r.id === slugify(r.name)) ? { name, id: slugify(name) } : { name });
                    }}
                  />
                </td>
                <td>
                  <label className="sr-only" htmlFor={`rep-email-${r.key}`}>E-mail of row {i + 1}</label>
                  <input id={`rep-email-${r.key}`} type="email" value={r.email} onChange={(e) => setRow(i, { email: e.target.value })} />
                </td>
                <td>
                  <label className="sr-only" htmlFor={`rep-territories-${r.key}`}>Territories of row {i + 1} (comma-separated)</label>
                  <input id={`rep-territories-${r.key}`} value={r.territories} placeholder="any" onChange={(e) => setRow(i, { territories: e.target.value })} />
                </td>
                <td>
                  <label className="inline-label">
                    <input type="checkbox" checked={r.active} onChange={(e) => setRow(i, { active: e.target.checked })} />
                    <span className="sr-only">Row {i + 1} active</span>
                  </label>
                </td>
                <td>
                  <label className="sr-only" htmlFor={`rep-capacity-${r.key}`}>Capacity of row {i + 1}</label>
                  <input id={`rep-capacity-${r.key}`} className="narrow" type="number" min="1" step="1" placeholder="no limit" value={r.capacity} onChange={(e) => setRow(i, { capacity: e.target.value })} />
                </td>
                <td className="num">{r.leads ?? "—"}</td>
                <td className="nowrap">
                  <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${r.name || `row ${i + 1}`} up`}>↑</button>{" "}
                  <button type="button" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${r.name || `row ${i + 1}`} down`}>↓</button>{" "}
                  <button type="button" className="danger" onClick={() => remove(i)} aria-label={`Remove ${r.name || `row ${i + 1}`}`}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="form-actions">
        <button
          type="button"
          onClick={() => update([...rows, { key: nextKey++, id: "", name: "", email: "", territories: "", active: true, capacity: "", leads: null, isNew: true }])}
          data-testid="add-rep"
        >
          + Add rep
        </button>
        <button type="submit" className="primary" disabled={save.isPending || !dirty} data-testid="reps-save">
          {save.isPending ? "Saving…" : "Save reps"}
        </button>
        {dirty && (
          <button type="button" onClick={() => { setRows(toRows(initial)); setDirty(false); setProblems([]); save.reset(); }}>
            Discard changes
          </button>
        )}
        {save.isSuccess && !dirty && <span className="ok-msg" role="status" data-testid="reps-saved">Saved.</span>}
      </div>
      {problems.length > 0 && (
        <ul className="field-errors" role="alert">{problems.map((p, i) => <li key={i}>{p}</li>)}</ul>
      )}
      {save.isError && (
        <div role="alert">
          <p className="error" style={{ marginBottom: 0 }}>Not saved{fields && fields.length > 0 ? ":" : `: ${errorMessage(save.error)}`}</p>
          {fields && fields.length > 0 && (
            <ul className="field-errors">{fields.map((f, i) => <li key={i}>{f.path ? `${fieldText(f.path)}: ` : ""}{f.message}</li>)}</ul>
          )}
        </div>
      )}
    </form>
  );
}
