import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { SLUG_PATTERN } from "@leadflow/flow";
import { navigate, useLocation } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import "./pages.css";

type Template = Outputs["templates"]["list"][number];
interface Draft { id: string; subject: string; html: string; text: string; isNew: boolean }

const starter: Omit<Draft, "id" | "isNew"> = {
  subject: "Hi {{ lead.firstName | default: \"there\" }}",
  html: `<p>Hi {{ lead.firstName | default: "there" }},</p>
<p>Thanks for your interest in our product.</p>
<p>Best regards,<br>{{ owner.name | default: "The team" }}</p>
<p style="font-size:12px;color:#888"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`,
  text: "",
};

const toDraft = (t: Template): Draft => ({ id: t.id, subject: t.subject, html: t.html, text: t.text ?? "", isNew: false });

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

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
          <Editor key={draft.id} draft={draft} setDraft={setDraft} dirty={dirty} />
        ) : (
          <Empty>Pick a template on the left to edit it, or create a new one.</Empty>
        )}
      </div>
    </div>
  );
}

type Preview = Outputs["templates"]["preview"];

/**
 * The preview of the template being edited. It is a POST (a mutation), since a template does
 * not belong in a URL; the last rendering stays on screen while the next one is on its way.
 */
function useLivePreview(input: string, enabled: boolean) {
  const trpc = useTRPC();
  const { mutate, data, error, isPending } = useMutation(trpc.templates.preview.mutationOptions({ retry: false }));
  const [last, setLast] = useState<Preview | undefined>(undefined);
  useEffect(() => {
    if (enabled) mutate(JSON.parse(input) as Parameters<typeof mutate>[0]);
  }, [input, enabled, mutate]);
  useEffect(() => {
    if (data) setLast(data);
  }, [data]);
  return { data: data ?? last, error, isStale: isPending };
}

function Editor({ draft, setDraft, dirty }: { draft: Draft; setDraft: (d: Draft) => void; dirty: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { path } = useLocation();
  const [leadEmail, setLeadEmail] = useState("");
  const save = useMutation(
    trpc.templates.save.mutationOptions({
      onSuccess: async (t) => {
        await queryClient.invalidateQueries({ queryKey: trpc.templates.list.queryKey() });
        setDraft({ id: t.id, subject: t.subject, html: t.html, text: t.text ?? "", isNew: false });
        navigate(`${path}?id=${encodeURIComponent(t.id)}`, true);
      },
    }),
  );
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    if (save.isSuccess || save.isError) save.reset();
  };

  // debounce a string (a fresh object each render would restart the timer for ever)
  const debounced = useDebounced(
    JSON.stringify({ template: { subject: draft.subject, html: draft.html, text: draft.text || null }, leadEmail: leadEmail.trim() || undefined }),
    300,
  );
  const input = JSON.parse(debounced) as { template: { subject: string; html: string; text: string | null }; leadEmail?: string };
  const preview = useLivePreview(debounced, input.template.subject.trim() !== "");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ id: draft.id, template: { subject: draft.subject, html: draft.html, text: draft.text || null } });
  };
  const fields = save.error?.data?.fields as { path: string; message: string }[] | undefined;

  return (
    <div className="editor-grid">
      <form onSubmit={submit} aria-label={`Edit template ${draft.id}`}>
        <h2 style={{ marginTop: 0 }}>
          <span className="mono">{draft.id}</span> {draft.isNew && <span className="badge warn">new, not saved yet</span>}
        </h2>
        <label>
          Subject
          <input value={draft.subject} onChange={(e) => set({ subject: e.target.value })} data-testid="template-subject" />
        </label>
        <label>
          HTML body
          <textarea className="html" value={draft.html} onChange={(e) => set({ html: e.target.value })} spellCheck={false} data-testid="template-html" />
        </label>
        <label>
          Plain-text body (optional — made from the HTML when empty)
          <textarea className="text" value={draft.text} onChange={(e) => set({ text: e.target.value })} data-testid="template-text" />
        </label>
        <div className="form-actions" style={{ marginTop: 0 }}>
          <button type="submit" className="primary" disabled={save.isPending || !dirty} data-testid="template-save">
            {save.isPending ? "Saving…" : "Save template"}
          </button>
          {save.isSuccess && !dirty && <span className="ok-msg" role="status" data-testid="template-saved">Saved.</span>}
          {!save.isSuccess && !dirty && <span className="muted small">No unsaved changes.</span>}
        </div>
        {save.isError && (
          <div role="alert" data-testid="template-errors">
            <p className="error" style={{ marginBottom: 0 }}>Not saved{fields && fields.length > 0 ? ":" : `: ${errorMessage(save.error)}`}</p>
            {fields && fields.length > 0 && (
              <ul className="field-errors">{fields.map((f, i) => <li key={i}>{f.path ? `${f.path}: ` : ""}{f.message}</li>)}</ul>
            )}
          </div>
        )}
      </form>

      <section aria-label="Preview" data-testid="template-preview">
        <h2 style={{ marginTop: 0 }}>Preview</h2>
        <label>
          Preview as lead (e-mail, optional — otherwise a sample lead “Anna Example”)
          <input type="email" value={leadEmail} onChange={(e) => setLeadEmail(e.target.value)} placeholder="someone@company.com" data-testid="preview-lead" />
        </label>
        {input.template.subject.trim() === "" ? (
          <Empty>Write a subject to see the preview.</Empty>
        ) : preview.error ? (
          <p className="state error" role="alert">
            {preview.error.data?.code === "NOT_FOUND" ? `No lead with the e-mail ${input.leadEmail ?? ""}.` : errorMessage(preview.error)}
          </p>
        ) : !preview.data ? (
          <p className="muted">Rendering…</p>
        ) : !preview.data.ok ? (
          <p className="state error" role="alert" data-testid="preview-error">The template cannot be rendered: {preview.data.error}</p>
        ) : (
          <div style={{ opacity: preview.isStale ? 0.7 : 1 }}>
            <p><span className="muted">Subject: </span><strong data-testid="preview-subject">{preview.data.subject}</strong></p>
            <iframe className="preview-frame" title="HTML preview" sandbox="" srcDoc={preview.data.html} data-testid="preview-html" />
            <h3 style={{ fontSize: "0.95rem" }}>Plain-text part</h3>
            <pre className="textpart" data-testid="preview-text">{preview.data.text}</pre>
          </div>
        )}
        <SendTest id={draft.id} isNew={draft.isNew} dirty={dirty} leadEmail={leadEmail.trim()} />
      </section>
    </div>
  );
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sends the saved template once to an address: "[Test]" subject, no tracking, not an outbox job. */
function SendTest({ id, isNew, dirty, leadEmail }: { id: string; isNew: boolean; dirty: boolean; leadEmail: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mode = useQuery(trpc.mailbox.mode.queryOptions());
  const [to, setTo] = useState("");
  const [asLead, setAsLead] = useState("");
  const [problem, setProblem] = useState("");
  const send = useMutation(
    trpc.templates.sendTest.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.mailbox.pathKey() }),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    const lead = (asLead.trim() || leadEmail).trim();
    if (!EMAIL_RE.test(address)) return setProblem("Give the address to send the test to, e.g. you@company.com.");
    if (lead && !EMAIL_RE.test(lead)) return setProblem("The lead e-mail is not a valid address.");
    setProblem("");
    send.mutate({ id, to: address, ...(lead ? { leadEmail: lead } : {}) });
  };
  const reset = () => { if (send.isSuccess || send.isError) send.reset(); };
  return (
    <form onSubmit={submit} noValidate className="card section" aria-labelledby="send-test-title" data-testid="send-test">
      <h3 id="send-test-title" style={{ marginTop: 0, fontSize: "1rem" }}>Send a test</h3>
      {isNew ? (
        <p className="muted small" style={{ marginBottom: 0 }}>Save the template first: a test sends the saved version.</p>
      ) : (
        <>
          <p className="muted small">
            Sends the <strong>saved</strong> template once, with “[Test]” before the subject and no tracking
            {mode.data ? (mode.data.smtp ? ", through the SMTP server" : "; no SMTP server is configured, so it lands in the Mailbox") : ""}.
            {dirty && <strong> You have unsaved changes: they are not in the test.</strong>}
          </p>
          <label>
            Send to
            <input type="email" value={to} onChange={(e) => { setTo(e.target.value); reset(); }} placeholder="you@company.com" data-testid="send-test-to" />
          </label>
          <label>
            Fill the variables from lead (e-mail, optional — otherwise a sample lead{leadEmail ? `; default: ${leadEmail}` : ""})
            <input type="email" value={asLead} onChange={(e) => { setAsLead(e.target.value); reset(); }} placeholder={leadEmail || "lead@company.com"} data-testid="send-test-lead" />
          </label>
          <div className="form-actions" style={{ marginTop: 0 }}>
            <button type="submit" disabled={send.isPending} data-testid="send-test-submit">{send.isPending ? "Sending…" : "Send test"}</button>
            {send.isSuccess && (
              <span className="ok-msg" role="status" data-testid="send-test-ok">
                Sent to {send.data.to}: “{send.data.subject}”.
              </span>
            )}
          </div>
          {problem && <p className="error small" role="alert">{problem}</p>}
          {send.isError && (
            <p className="error small" role="alert" data-testid="send-test-error">
              Not sent: {errorMessage(send.error)}
            </p>
          )}
        </>
      )}
    </form>
  );
}
