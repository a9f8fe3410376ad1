import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { SLUG_PATTERN, slugify } from "@leadflow/flow";
import { Link, navigate } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import { ago, when } from "../ui/format.js";
import "./pages.css";

type FlowRow = Outputs["flows"]["list"][number];
type GalleryFlow = Outputs["flows"]["gallery"][number];


/** `base`, or `base-2`, `base-3` … whichever is free. */
function freeId(base: string, taken: Set<string>): { id: string; n: number } {
  if (!taken.has(base)) return { id: base, n: 1 };
  for (let n = 2; ; n++) {
    const id = `${base.slice(0, 60)}-${n}`;
    if (!taken.has(id)) return { id, n };
  }
}

export function FlowsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.flows.list.queryOptions());
  return (
    <div>
      <h1>Flows</h1>
      <p className="muted page-intro">
        A flow is a diagram of what happens when a lead does something: add points, wait, send an e-mail, hand the lead to
        sales. Draw and publish it in the editor; only published versions run. Start from a template below or from scratch.
      </p>
      <QueryView query={list}>
        {(flows) => (
          <>
            <FlowList flows={flows} />
            <NewFlow flows={flows} />
            <Gallery flows={flows} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function FlowList({ flows }: { flows: FlowRow[] }) {
  if (flows.length === 0) return <Empty>No flows yet. Create one below, or start from a template.</Empty>;
  return (
    <div className="table-wrap">
      <table data-testid="flows-table">
        <thead><tr><th>Name</th><th>Id</th><th>Live version</th><th>Last change</th></tr></thead>
        <tbody>
          {flows.map((f) => (
            <tr key={f.id} data-testid="flow-row">
              <td><Link to={`/flows/${encodeURIComponent(f.id)}`}>{f.name}</Link></td>
              <td className="mono muted">{f.id}</td>
              <td>
                {f.publishedVersion === null ? (
                  <span className="badge warn" title="never published: it does not run yet">draft</span>
                ) : (
                  <span className="badge ok" title="the version that runs">v{f.publishedVersion}</span>
                )}
              </td>
              <td className="nowrap" title={when(f.updatedAt)}>{ago(f.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Saves a new flow's first draft, then opens it in the editor. */
function useCreateFlow(onSettled?: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.flows.saveDraft.mutationOptions({
      onSuccess: async (flow) => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
        navigate(`/flows/${encodeURIComponent(flow.id)}`);
      },
      ...(onSettled ? { onSettled } : {}),
    }),
  );
}

function NewFlow({ flows }: { flows: FlowRow[] }) {
  const [name, setName] = useState("");
  const [id, setId] = useState("");
  const [idTouched, setIdTouched] = useState(false);
  const [problem, setProblem] = useState("");
  const create = useCreateFlow();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fid = id.trim();
    const fname = name.trim();
    if (!fname) return setProblem("Give the flow a name.");
    if (!SLUG_PATTERN.test(fid)) return setProblem("The id may use letters, digits, - and _ (up to 64), starting with a letter or digit.");
    if (flows.some((f) => f.id === fid)) return setProblem(`A flow with the id “${fid}” exists already. Pick another id.`);
    setProblem("");
    create.mutate({ id: fid, document: { id: fid, name: fname, reentry: "always", nodes: [], edges: [] } });
  };
  return (
    <section className="section card" aria-labelledby="new-flow-title">
      <h2 id="new-flow-title" style={{ marginTop: 0 }}>New flow</h2>
      <form className="new-flow" onSubmit={submit}>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!idTouched) setId(slugify(e.target.value));
            }}
            placeholder="Pricing interest"
            data-testid="new-flow-name"
          />
        </label>
        <label>
          Id (used in links and the API)
          <input
            value={id}
            onChange={(e) => {
              setId(e.target.value);
              setIdTouched(true);
            }}
            placeholder="pricing-interest"
            data-testid="new-flow-id"
          />
        </label>
        <button type="submit" className="primary" disabled={create.isPending} data-testid="new-flow-create">
          {create.isPending ? "Creating…" : "Create and open the editor"}
        </button>
      </form>
      {(problem || create.error) && (
        <p className="error" role="alert">{problem || `Could not create the flow: ${errorMessage(create.error)}`}</p>
      )}
    </section>
  );
}

function Gallery({ flows }: { flows: FlowRow[] }) {
  const trpc = useTRPC();
  const gallery = useQuery(trpc.flows.gallery.queryOptions());
  const [using, setUsing] = useState<string | null>(null);
  const use = useCreateFlow(() => setUsing(null));
  const start = (g: GalleryFlow) => {
    const doc = g.document;
    const { id, n } = freeId(doc.id, new Set(flows.map((f) => f.id)));
    setUsing(g.id);
    use.mutate({ id, document: { ...doc, id, name: n > 1 ? `${doc.name} (${n})` : doc.name } });
  };
  return (
    <section className="section" aria-labelledby="gallery-title">
      <h2 id="gallery-title">Start from a template</h2>
      <p className="muted small">Each template makes a new draft you can change before publishing. E-mail steps name templates that must exist under E-mail templates.</p>
      <QueryView query={gallery}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No templates available.</Empty>
          ) : (
            <div className="gallery">
              {items.map((g) => (
                <article className="card" key={g.id} data-testid="gallery-card">
                  <h3>{g.name}</h3>
                  <p className="muted">{g.description}</p>
                  <p className="small muted">{g.document.nodes.length} steps</p>
                  <button type="button" onClick={() => start(g)} disabled={use.isPending} data-testid={`gallery-use-${g.id}`}>
                    {using === g.id ? "Creating…" : "Use this"}
                  </button>
                </article>
              ))}
            </div>
          )
        }
      </QueryView>
      {use.error && <p className="error" role="alert">Could not create the flow: {errorMessage(use.error)}</p>}
    </section>
  );
}
