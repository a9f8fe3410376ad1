import { useRef } from "react";
import { Link } from "../router.js";
import type { EditorState } from "./convert.js";
import type { History } from "./history.js";
import type { Flow, Notice, Viewing } from "./use-editor-state.js";
import type { Persistence } from "./use-flow-persistence.js";
import type { Versions } from "./use-flow-versions.js";
import type { NodeActions } from "./use-node-actions.js";

interface ToolbarProps {
  flow: Flow;
  history: History<EditorState>;
  readOnly: boolean;
  viewing: Viewing | null;
  issueCount: number;
  persistence: Persistence;
  versions: Versions;
  actions: Pick<NodeActions, "layout" | "setMeta">;
  fitView: () => void;
}

/** The editor's top bar: name, re-entry, undo/redo, layout, files, versions, save and publish. */
export function EditorToolbar({ flow, history, readOnly, viewing, issueCount, persistence: p, versions: v, actions, fitView }: ToolbarProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const meta = history.present.meta;
  const reentry = meta.reentry;
  const { setMeta } = actions;
  return (
    <div className="editor-toolbar">
      <Link to="/flows">← Flows</Link>
      <input aria-label="Flow name" className="flow-name" value={meta.name} disabled={readOnly} onChange={(e) => setMeta({ name: e.target.value })} />
      <span className="muted">{flow.id} · {flow.publishedVersion ? `published v${flow.publishedVersion}` : "never published"}{p.dirty ? " · unsaved changes" : ""}</span>
      <label className="inline">
        Re-entry
        <select aria-label="Re-entry" value={typeof reentry === "string" ? reentry : "cooldown"} disabled={readOnly}
          onChange={(e) => setMeta({ reentry: e.target.value === "cooldown" ? { cooldownDays: 7 } : (e.target.value as "always" | "once") })}>
          <option value="always">always</option>
          <option value="once">once per lead</option>
          <option value="cooldown">after a cooldown</option>
        </select>
        {typeof reentry === "object" && (
          <input aria-label="Cooldown days" type="number" min={1} value={reentry.cooldownDays} disabled={readOnly} onChange={(e) => setMeta({ reentry: { cooldownDays: Number(e.target.value) || 1 } })} />
        )}
      </label>
      <span className="spacer" />
      <button onClick={history.undo} disabled={!history.canUndo || readOnly} title="Undo (Ctrl+Z)">Undo</button>
      <button onClick={history.redo} disabled={!history.canRedo || readOnly} title="Redo (Ctrl+Shift+Z)">Redo</button>
      <button onClick={actions.layout} disabled={readOnly} title="Arrange the nodes left to right">Auto-layout</button>
      <button onClick={fitView}>Fit view</button>
      <button onClick={v.exportJson}>Export</button>
      <button onClick={() => fileInput.current?.click()} disabled={readOnly}>Import</button>
      <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={v.importJson} data-testid="import-file" />
      <select aria-label="Version history" value={viewing?.version ?? ""} onChange={(e) => (e.target.value ? void v.openVersion(Number(e.target.value)) : v.closeVersion())}>
        <option value="">Draft</option>
        {flow.versions.map((x) => <option key={x.version} value={x.version}>v{x.version} · {new Date(x.publishedAt).toLocaleString()}</option>)}
      </select>
      <button onClick={p.onSave} disabled={readOnly || p.saving} title="Save draft (Ctrl+S)" data-testid="save-draft">Save draft</button>
      <button className="primary" onClick={p.onPublish} disabled={readOnly || issueCount > 0 || p.publishing || p.saving} title={issueCount ? "Fix the issues first" : "Publish a new version"} data-testid="publish">
        Publish
      </button>
    </div>
  );
}

/** Under the toolbar: the read-only banner of a viewed version, and the last notice. */
export function EditorBanners({ viewing, versions, notice, dismiss }: { viewing: Viewing | null; versions: Versions; notice: Notice | null; dismiss: () => void }) {
  return (
    <>
      {viewing && (
        <div className="banner">
          Viewing published version {viewing.version}, read-only.
          <button onClick={versions.restoreVersion}>Restore as draft</button>
          <button onClick={versions.closeVersion}>Back to the draft</button>
        </div>
      )}
      {notice && (
        <div className={`banner ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="editor-notice">
          {notice.text} <button className="link" onClick={dismiss}>dismiss</button>
        </div>
      )}
    </>
  );
}
