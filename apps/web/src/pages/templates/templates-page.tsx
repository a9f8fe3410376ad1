import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { SLUG_PATTERN } from "@leadflow/flow";
import { useTRPC } from "../../trpc.js";
import { navigate, useLocation } from "../../router.js";
import { Empty, QueryView } from "../../ui/states.js";
import { starter, toDraft, type Draft, type Template } from "./draft.js";
import { TemplateEditor } from "./template-editor.js";
import "../pages.css";

export function TemplatesPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.templates.list.queryOptions());
  return (
    <div>
      <h1>E-mail templates</h1>
      <p className="muted page-intro">
        The e-mails your flows send. Write the subject and body with variables such as <span className="mono">{"{{ lead.firstName }}"}</span>,{" "}
        <span className="mono">{"{{ lead.company }}"}</span> or <span className="mono">{"{{ owner.name }}"}</span> (the lead’s sales rep); the preview shows
        the e-mail as a lead would get it. An unsubscribe link is added when the template has none (<span className="mono">{"{{ unsubscribe_url }}"}</span>).
      </p>
      <QueryView query={list}>{(templates) => <Templates templates={templates} />}</QueryView>
    </div>
  );
}

function Templates({ templates }: { templates: Template[] }) {
  const { path, query } = useLocation();
  const selectedId = query.get("id");
  const [draft, setDraft] = useState<Draft | null>(() => {
    const t = templates.find((x) => x.id === selectedId) ?? (selectedId ? undefined : templates[0]);
    return t ? toDraft(t) : null;
  });
  const [newId, setNewId] = useState("");
  const [newIdError, setNewIdError] = useState("");

  const saved = draft && !draft.isNew ? templates.find((t) => t.id === draft.id) : undefined;
  const dirty = draft !== null && (draft.isNew || !saved || saved.subject !== draft.subject || saved.html !== draft.html || (saved.text ?? "") !== draft.text);

  const open = (next: Draft) => {
    if (dirty && draft && draft.id !== next.id && !window.confirm(`Discard the unsaved changes to “${draft.id}”?`)) return;
    setDraft(next);
    navigate(next.isNew ? path : `${path}?id=${encodeURIComponent(next.id)}`, true);
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    const id = newId.trim();
    if (!SLUG_PATTERN.test(id)) return setNewIdError("Use letters, digits, - and _ (up to 64), starting with a letter or digit.");
    if (templates.some((t) => t.id === id)) return setNewIdError(`“${id}” exists already: pick it in the list to edit it.`);
    setNewIdError("");
    setNewId("");
    open({ id, ...starter, isNew: true });
  };

  return (
    <div className="split">
      <aside>
        <form onSubmit={create} className="card" style={{ marginBottom: "0.8rem" }}>
          <label>
            New template id
            <input value={newId} onChange={(e) => setNewId(e.target.value)} placeholder="welcome-warm" data-testid="new-template-id" />
          </label>
          {newIdError && <p className="error small" role="alert">{newIdError}</p>}
          <button type="submit" data-testid="new-template-create">Create template</button>
        </form>
        {templates.length === 0 ? (
          <Empty>No templates yet. Create the first one above.</Empty>
        ) : (
          <ul className="list" aria-label="Templates">
            {templates.map((t) => (
              <li key={t.id}>
                <button type="button" className={draft?.id === t.id ? "active" : ""} onClick={() => open(toDraft(t))} data-testid="template-item">
                  <strong>{t.id}</strong>
                  <span className="sub">{t.subject}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <div>
        {draft ? (
          <TemplateEditor key={draft.id} draft={draft} setDraft={setDraft} dirty={dirty} />
        ) : (
          <Empty>Pick a template on the left to edit it, or create a new one.</Empty>
        )}
      </div>
    </div>
  );
}

