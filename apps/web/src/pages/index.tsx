import { lazy, Suspense, type ReactNode } from "react";
import { Loading } from "../ui/states.js";
import { DashboardPage } from "./dashboard.js";
import { LeadsPage } from "./leads.js";
import { LeadDetailPage } from "./lead-detail.js";
import { ModelPage } from "./model.js";
import { TemplatesPage } from "./templates.js";
import { RepsPage } from "./reps.js";
import { MailboxPage } from "./mailbox.js";
import { FlowsPage } from "./flows.js";
import { OutboxPage } from "./outbox.js";
import { SiteKeysPage } from "./site-keys.js";
// the editor (xyflow, dagre) is most of the bundle: loaded when a flow is opened
const FlowEditorPage = lazy(() => import("../editor/flow-editor-page.js").then((m) => ({ default: m.FlowEditorPage })));

export type Role = "admin" | "marketer" | "sales";

export interface Page {
  path: string;
  roles: Role[];
  /** full-width layout (the editor) */
  wide?: boolean;
  render: (params: Record<string, string>) => ReactNode;
}

const everyone: Role[] = ["admin", "marketer", "sales"];
const marketers: Role[] = ["admin", "marketer"];

export const pages: Page[] = [
  { path: "/", roles: everyone, render: () => <DashboardPage /> },
  { path: "/leads", roles: everyone, render: () => <LeadsPage /> },
  { path: "/leads/:id", roles: everyone, render: (p) => <LeadDetailPage id={p.id!} /> },
  { path: "/flows", roles: marketers, render: () => <FlowsPage /> },
  { path: "/flows/:id", roles: marketers, wide: true, render: (p) => (
      <Suspense fallback={<Loading what="Opening the editor" />}>
        <FlowEditorPage id={p.id!} />
      </Suspense>
    ) },
  { path: "/model", roles: marketers, render: () => <ModelPage /> },
  { path: "/templates", roles: marketers, render: () => <TemplatesPage /> },
  { path: "/reps", roles: marketers, render: () => <RepsPage /> },
  { path: "/mailbox", roles: marketers, render: () => <MailboxPage /> },
  { path: "/outbox", roles: marketers, render: () => <OutboxPage /> },
  { path: "/site-keys", roles: marketers, render: () => <SiteKeysPage /> },
];
