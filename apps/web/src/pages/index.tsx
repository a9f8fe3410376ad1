import { lazy, Suspense, type ReactNode } from "react";
import { MARKETING_ROLES, ROLES, type Role } from "@leadflow/flow";
import { Loading } from "../ui/states.js";
import { DashboardPage } from "./dashboard.js";
import { LeadsPage } from "./leads/leads-page.js";
import { LeadDetailPage } from "./lead-detail/lead-detail-page.js";
import { ModelPage } from "./model/model-page.js";
import { TemplatesPage } from "./templates/templates-page.js";
import { RepsPage } from "./reps/reps-page.js";
import { MailboxPage } from "./mailbox.js";
import { FlowsPage } from "./flows.js";
import { OutboxPage } from "./outbox.js";
import { SiteKeysPage } from "./site-keys.js";
import { ImportPage } from "./import/import-page.js";
// the editor (xyflow, dagre) is most of the bundle: loaded when a flow is opened
const FlowEditorPage = lazy(() => import("../editor/flow-editor-page.js").then((m) => ({ default: m.FlowEditorPage })));

export interface Page {
  path: string;
  roles: readonly Role[];
  /** full-width layout (the editor) */
  wide?: boolean;
  render: (params: Record<string, string>) => ReactNode;
}

export const pages: Page[] = [
  { path: "/", roles: ROLES, render: () => <DashboardPage /> },
  { path: "/leads", roles: ROLES, render: () => <LeadsPage /> },
  { path: "/leads/:id", roles: ROLES, render: (p) => <LeadDetailPage id={p.id!} /> },
  { path: "/flows", roles: MARKETING_ROLES, render: () => <FlowsPage /> },
  { path: "/flows/:id", roles: MARKETING_ROLES, wide: true, render: (p) => (
      <Suspense fallback={<Loading what="Opening the editor" />}>
        <FlowEditorPage id={p.id!} />
      </Suspense>
    ) },
  { path: "/model", roles: MARKETING_ROLES, render: () => <ModelPage /> },
  { path: "/templates", roles: MARKETING_ROLES, render: () => <TemplatesPage /> },
  { path: "/reps", roles: MARKETING_ROLES, render: () => <RepsPage /> },
  { path: "/mailbox", roles: MARKETING_ROLES, render: () => <MailboxPage /> },
  { path: "/outbox", roles: MARKETING_ROLES, render: () => <OutboxPage /> },
  { path: "/site-keys", roles: MARKETING_ROLES, render: () => <SiteKeysPage /> },
  { path: "/import", roles: MARKETING_ROLES, render: () => <ImportPage /> },
];
