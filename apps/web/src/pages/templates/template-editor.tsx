import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, useTRPC, type Outputs } from "../../trpc.js";
import { navigate, useLocation } from "../../router.js";
import { Empty } from "../../ui/states.js";
import { NotSaved } from "../../ui/not-saved.js";
import type { Draft } from "./draft.js";
import { SendTest } from "./send-test.js";

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
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

type LivePreview = ReturnType<typeof useLivePreview>;

export function TemplateEditor({ draft, setDraft, dirty }: { draft: Draft; setDraft: (d: Draft) => void; dirty: boolean }) {
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
        {save.isError && <NotSaved error={save.error} testId="template-errors" />}
      </form>

      <section aria-label="Preview" data-testid="template-preview">
        <h2 style={{ marginTop: 0 }}>Preview</h2>
        <label>
          Preview as lead (e-mail, optional — otherwise a sample lead “Anna Example”)
          <input type="email" value={leadEmail} onChange={(e) => setLeadEmail(e.target.value)} placeholder="someone@company.com" data-testid="preview-lead" />
        </label>
        <TemplatePreview preview={preview} subjectEmpty={input.template.subject.trim() === ""} leadEmail={input.leadEmail} />
        <SendTest id={draft.id} isNew={draft.isNew} dirty={dirty} leadEmail={leadEmail.trim()} />
      </section>
    </div>
  );
}

/** The rendered e-mail (subject, HTML in a sandboxed frame, plain text), or why there is none. */
function TemplatePreview({ preview, subjectEmpty, leadEmail }: { preview: LivePreview; subjectEmpty: boolean; leadEmail: string | undefined }) {
  return (
    <>
      {subjectEmpty ? (
        <Empty>Write a subject to see the preview.</Empty>
      ) : preview.error ? (
        <p className="state error" role="alert">
          {preview.error.data?.code === "NOT_FOUND" ? `No lead with the e-mail ${leadEmail ?? ""}.` : errorMessage(preview.error)}
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
    </>
  );
}
