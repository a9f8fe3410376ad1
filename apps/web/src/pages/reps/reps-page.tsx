import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../../trpc.js";
import { QueryView } from "../../ui/states.js";
import { NotSaved } from "../../ui/not-saved.js";
import { fieldText, fromRows, newRow, toRows, type Rep, type Row } from "./rep-rows.js";
import { RepRow } from "./rep-row.js";
import "../pages.css";

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
    const { reps, problems } = fromRows(rows);
    setProblems(problems);
    if (problems.length === 0) save.mutate({ reps });
  };

  return (
    <form onSubmit={submit}>
      <RepsTable rows={rows} setRow={(i, patch) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))} move={move} remove={remove} />
      <div className="form-actions">
        <button type="button" onClick={() => update([...rows, newRow()])} data-testid="add-rep">
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
      {save.isError && <NotSaved error={save.error} pathText={fieldText} />}
    </form>
  );
}

function RepsTable({ rows, setRow, move, remove }: { rows: Row[]; setRow: (i: number, patch: Partial<Row>) => void; move: (i: number, by: -1 | 1) => void; remove: (i: number) => void }) {
  return (
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
            <RepRow key={r.key} row={r} index={i} last={i === rows.length - 1} set={(patch) => setRow(i, patch)} move={(by) => move(i, by)} remove={() => remove(i)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
