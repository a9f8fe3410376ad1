import { useMutation, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { when } from "../ui/format.js";
import "./pages.css";

const snippetTag = (key: string) => `<script async src="${window.location.origin}/t/p.js" data-site-key="${key}"></script>`;

/**
 * Site keys for the website snippet. A new key is shown once (the server keeps only its hash),
 * so it lives in this component's state: leaving the page forgets it.
 */
export function SiteKeysPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.siteKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.siteKeys.list.queryKey() });
  const create = useMutation(
    trpc.siteKeys.create.mutationOptions({
      onSuccess: async (k) => {
        setShown({ name: k.name, key: k.key });
        setName("");
        setOrigins("");
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.siteKeys.revoke.mutationOptions({ onSuccess: refresh }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, origins: origins.split(/[\s,]+/).filter(Boolean) });
  };
  const onRevoke = (id: string, keyName: string) => {
    if (window.confirm(`Revoke the site key "${keyName}"? Websites using it stop being tracked at once.`)) revoke.mutate({ id });
  };

  return (
    <div data-testid="site-keys">
      <h1>Website tracking</h1>
      <p className="muted page-intro">
        A site key lets the snippet on your website record page views and form fills. It is public (it is in your pages’ HTML),
        so it can only send tracking events, and only from the websites you list. Leave the websites empty to allow any.
        The same key is the write key of Segment and RudderStack SDKs.
      </p>
      <form onSubmit={submit} className="inline-form">
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Company website" required maxLength={100} data-testid="site-key-name" />
        </label>{" "}
        <label>
          Websites <input value={origins} onChange={(e) => setOrigins(e.target.value)} placeholder="https://www.example.com" size={40} data-testid="site-key-origins" />
        </label>{" "}
        <button type="submit" disabled={create.isPending} data-testid="site-key-create">{create.isPending ? "Creating…" : "Create site key"}</button>
      </form>
      {create.isError && <p className="state error" role="alert"><strong>Not created.</strong> {errorMessage(create.error)}</p>}
      {shown && (
        <div className="ok-msg" role="status" data-testid="site-key-new">
          <p>Site key “{shown.name}” (copy it now, it will not be shown again). Put this tag in every page of the website:</p>
          <code className="mono" style={{ overflowWrap: "anywhere", userSelect: "all", display: "block" }} data-testid="site-key-tag">{snippetTag(shown.key)}</code>
          <p>The key alone: <code className="mono" style={{ userSelect: "all" }}>{shown.key}</code></p>
          <button type="button" className="link" onClick={() => setShown(null)}>Hide</button>
        </div>
      )}
      {revoke.isError && <p className="state error" role="alert"><strong>Not revoked.</strong> {errorMessage(revoke.error)}</p>}
      <SiteKeyTable list={list} onRevoke={onRevoke} revoking={revoke.isPending} />
    </div>
  );
}

type SiteKeyList = UseQueryResult<Outputs["siteKeys"]["list"], { message: string }>;

/** Every site key, revoked ones greyed with the time they were revoked. */
function SiteKeyTable({ list, onRevoke, revoking }: { list: SiteKeyList; onRevoke: (id: string, name: string) => void; revoking: boolean }) {
  return (
    <div className="table-wrap">
      <table data-testid="site-key-table">
        <thead>
          <tr><th>Name</th><th>Key</th><th>Websites</th><th>Created</th><th><span className="sr-only">Revoke</span></th></tr>
        </thead>
        <tbody>
          {list.isPending && <tr><td colSpan={5} className="muted">Loading…</td></tr>}
          {list.isError && <tr><td colSpan={5} className="error">{errorMessage(list.error)}</td></tr>}
          {list.data?.siteKeys.length === 0 && <tr><td colSpan={5} className="muted">No site keys yet. Create one above.</td></tr>}
          {list.data?.siteKeys.map((k) => (
            <tr key={k.id} className={k.revokedAt ? "muted" : ""} data-testid="site-key-row">
              <td>{k.name}</td>
              <td className="mono">{k.prefix}…</td>
              <td>{k.origins.length ? k.origins.join(", ") : "any website"}</td>
              <td>{when(k.createdAt)}</td>
              <td>
                {k.revokedAt
                  ? <>revoked {when(k.revokedAt)}</>
                  : <button type="button" className="link" onClick={() => onRevoke(k.id, k.name)} disabled={revoking}>Revoke</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
