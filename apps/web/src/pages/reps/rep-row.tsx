import { slugify } from "@leadflow/flow";
import type { Row } from "./rep-rows.js";

interface Props {
  row: Row;
  /** the row's place in the list, from 0 */
  index: number;
  last: boolean;
  set: (patch: Partial<Row>) => void;
  move: (by: -1 | 1) => void;
  remove: () => void;
}

/** One rep in the round-robin list: its fields, and buttons to reorder or remove it. */
export function RepRow({ row: r, index: i, last, set, move, remove }: Props) {
  const who = r.name || `row ${i + 1}`;
  return (
    <tr data-testid="rep-row" className={r.active ? "" : "muted"}>
      <td className="muted">{i + 1}</td>
      <td>
        <label className="sr-only" htmlFor={`rep-id-${r.key}`}>Id of row {i + 1}</label>
        <input id={`rep-id-${r.key}`} value={r.id} readOnly={!r.isNew} title={r.isNew ? "" : "the id of a saved rep cannot change"} onChange={(e) => set({ id: e.target.value })} />
      </td>
      <td>
        <label className="sr-only" htmlFor={`rep-name-${r.key}`}>Name of row {i + 1}</label>
        <input
          id={`rep-name-${r.key}`}
          value={r.name}
          onChange={(e) => {
            const name = e.target.value;
            // new rows: the id follows the name until edited
            set(r.isNew && (r.id === "" || r.id === slugify(r.name)) ? { name, id: slugify(name) } : { name });
          }}
        />
      </td>
      <td>
        <label className="sr-only" htmlFor={`rep-email-${r.key}`}>E-mail of row {i + 1}</label>
        <input id={`rep-email-${r.key}`} type="email" value={r.email} onChange={(e) => set({ email: e.target.value })} />
      </td>
      <td>
        <label className="sr-only" htmlFor={`rep-territories-${r.key}`}>Territories of row {i + 1} (comma-separated)</label>
        <input id={`rep-territories-${r.key}`} value={r.territories} placeholder="any" onChange={(e) => set({ territories: e.target.value })} />
      </td>
      <td>
        <label className="inline-label">
          <input type="checkbox" checked={r.active} onChange={(e) => set({ active: e.target.checked })} />
          <span className="sr-only">Row {i + 1} active</span>
        </label>
      </td>
      <td>
        <label className="sr-only" htmlFor={`rep-capacity-${r.key}`}>Capacity of row {i + 1}</label>
        <input id={`rep-capacity-${r.key}`} className="narrow" type="number" min="1" step="1" placeholder="no limit" value={r.capacity} onChange={(e) => set({ capacity: e.target.value })} />
      </td>
      <td className="num">{r.leads ?? "—"}</td>
      <td className="nowrap">
        <button type="button" disabled={i === 0} onClick={() => move(-1)} aria-label={`Move ${who} up`}>↑</button>{" "}
        <button type="button" disabled={last} onClick={() => move(1)} aria-label={`Move ${who} down`}>↓</button>{" "}
        <button type="button" className="danger" onClick={remove} aria-label={`Remove ${who}`}>Remove</button>
      </td>
    </tr>
  );
}
