import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  changeScoringModel,
  MAX_BATCH,
  getFlow,
  getLead,
  getTemplate,
  loadEventNames,
  saveEventNames,
  receiveEvents,
  listOutbox,
  loadFrequencyCap,
  retryJob,
  saveFrequencyCap,
  sendTestEmail,
  listFlows,
  listReps,
  loadScoringModel,
  loadWorkspace,
  previewDecay,
  saveWorkspace,
  publishFlow,
  saveFlowDraft,
  saveReps,
  saveTemplate,
  upsertLead,
  verifyApiKey,
  looksLikeSiteKey,
  AppError,
  rotateWebhookSecret,
  webhookSecretStatus,
} from "@leadflow/runtime";
import { OutboxStatus } from "@leadflow/flow";
import type { AppContext } from "../context.js";
import { parseInput } from "./parse-input.js";
import { siteKeyRestRoutes } from "./rest-site-keys.js";

const EventsBody = z.object({
  events: z.array(z.unknown()).min(1, "events must not be empty").max(MAX_BATCH, `at most ${MAX_BATCH} events a request`),
});

const OutboxQuery = z.object({
  status: OutboxStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const JobParams = z.object({ id: z.uuid("id must be an outbox job id (a UUID)") });

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Body limits per route (413 past them). A batch of events is the largest thing sent; a
 * template may hold 500,000 characters of HTML and as much text; a flow, the model, reps or a
 * lead are documents well under 1 MiB; every other route takes a few fields.
 */
const BODY_LIMIT = { events: 5 * MiB, template: 2 * MiB, document: 1 * MiB, other: 16 * KiB } as const;

/** The public REST API (DESIGN §7): secret API keys; thin handlers over runtime services. */
export async function restRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const db = deps.db;

  // a route added here without its own limit gets the small one, not the server's
  app.addHook("onRoute", (route) => {
    route.bodyLimit ??= BODY_LIMIT.other;
  });

  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    const key = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    if (looksLikeSiteKey(key)) throw new AppError("forbidden", "this is a site key: it can only send tracking events");
    await verifyApiKey(db, key);
  });
  siteKeyRestRoutes(app, ctx);

  app.post("/events", { bodyLimit: BODY_LIMIT.events }, async (request, reply) => {
    const body = parseInput(EventsBody, request.body, "request: expected { events: [...] }");
    // ?wait=true: answer once the batch is scored (202 with `pending` past 30 s); else once stored
    const answer = await receiveEvents(deps, body.events, (request.query as { wait?: string }).wait === "true");
    return reply.status(answer.status).send(answer.body);
  });

  app.put("/leads", { bodyLimit: BODY_LIMIT.document }, async (request, reply) => {
    const { lead, created } = await upsertLead(deps, request.body);
    return reply.status(created ? 201 : 200).send(lead);
  });
  // the router has decoded the key once already; decoding again would misread a "%" in it
  app.get<{ Params: { key: string } }>("/leads/:key", async (request) => getLead(db, request.params.key));

  app.get("/flows", async () => ({ flows: await listFlows(db) }));
  app.put<{ Params: { id: string } }>("/flows/:id", { bodyLimit: BODY_LIMIT.document }, async (request) => saveFlowDraft(db, request.params.id, request.body));
  app.get<{ Params: { id: string } }>("/flows/:id", async (request) => {
    const flow = await getFlow(db, request.params.id);
    return { ...(flow.draft as object), publishedVersion: flow.publishedVersion, issues: flow.issues };
  });
  app.post<{ Params: { id: string } }>("/flows/:id/publish", async (request) => publishFlow(db, request.params.id));

  app.get("/scoring-model", async () => loadScoringModel(db));
  // how current leads' tiers would change under another decay policy; changes nothing
  app.post("/scoring-model/preview", async (request) => previewDecay(db, request.body, deps.clock.now()));
  app.get("/workspace", async () => loadWorkspace(db));
  app.put("/workspace", async (request) => saveWorkspace(db, request.body));
  app.put("/scoring-model", { bodyLimit: BODY_LIMIT.document }, async (request) => {
    return (await changeScoringModel(deps, request.body)).model;
  });

  app.put<{ Params: { id: string } }>("/templates/:id", { bodyLimit: BODY_LIMIT.template }, async (request) => saveTemplate(db, request.params.id, request.body));
  app.get<{ Params: { id: string } }>("/templates/:id", async (request) => getTemplate(db, request.params.id));

  app.get("/reps", async () => ({ reps: await listReps(db) }));
  app.put("/reps", { bodyLimit: BODY_LIMIT.document }, async (request) => ({ reps: await saveReps(db, request.body) }));

  app.post<{ Params: { id: string } }>("/templates/:id/test", async (request) => sendTestEmail(deps, request.params.id, request.body ?? {}));

  // the dead-letter list is `?status=dead`; retry gives a dead job a fresh set of attempts
  app.get("/outbox", async (request) => ({ jobs: await listOutbox(db, parseInput(OutboxQuery, request.query, "query")) }));
  app.post("/outbox/:id/retry", async (request) => retryJob(db, parseInput(JobParams, request.params, "outbox job").id, deps.clock.now()));

  // the secret webhooks are signed with: GET tells whether one exists, only rotation returns it (once)
  app.get("/webhook-secret", async () => webhookSecretStatus(db));
  app.post("/webhook-secret/rotate", async () => rotateWebhookSecret(db, deps.clock.now()));

  // how the Segment API's track names become event types (docs/tracking.md)
  app.get("/event-names", async () => ({ eventNames: await loadEventNames(db) }));
  app.put("/event-names", { bodyLimit: BODY_LIMIT.document }, async (request) => ({ eventNames: await saveEventNames(db, request.body) }));

  app.get("/email-settings", async () => ({ frequencyCap: await loadFrequencyCap(deps) }));
  app.put("/email-settings", async (request) => {
    const body = parseInput(z.object({ frequencyCap: z.unknown() }), request.body, "e-mail settings: expected { frequencyCap }");
    return { frequencyCap: await saveFrequencyCap(db, body.frequencyCap) };
  });
}
