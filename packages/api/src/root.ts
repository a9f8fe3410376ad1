import { router } from "./trpc.js";
import { authRouter } from "./routers/auth.js";
import { leadsRouter } from "./routers/leads.js";
import { flowsRouter } from "./routers/flows.js";
import { modelRouter } from "./routers/model.js";
import { workspaceRouter } from "./routers/workspace.js";
import { templatesRouter } from "./routers/templates.js";
import { repsRouter } from "./routers/reps.js";
import { mailboxRouter } from "./routers/mailbox.js";
import { outboxRouter } from "./routers/outbox.js";
import { webhooksRouter } from "./routers/webhooks.js";
import { siteKeysRouter } from "./routers/site-keys.js";

export const appRouter = router({
  auth: authRouter,
  leads: leadsRouter,
  flows: flowsRouter,
  model: modelRouter,
  templates: templatesRouter,
  reps: repsRouter,
  mailbox: mailboxRouter,
  outbox: outboxRouter,
  webhooks: webhooksRouter,
  siteKeys: siteKeysRouter,
  workspace: workspaceRouter,
});

/** The type the web app imports (type only). */
export type AppRouter = typeof appRouter;
