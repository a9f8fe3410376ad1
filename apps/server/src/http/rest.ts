import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  MAX_BATCH,
  getFlow,
  getLead,
  getTemplate,
  receiveEvents,
  sendTestEmail,
  listFlows,
  publishFlow,
  saveFlowDraft,
  saveTemplate,
  upsertLead,
  verifyApiKey,
  looksLikeSiteKey,
  AppError,
  LeadInput,
  TemplateInputSchema,
} from "@leadflow/runtime";
import { FlowDocumentShape } from "@leadflow/flow";
import type { AppContext } from "../context.js";
import { checked, described, JsonObject } from "./openapi-schema.js";
import * as R from "./openapi-responses.js";
import { siteKeyRestRoutes } from "./rest-site-keys.js";
import { doc, settingsRestRoutes } from "./rest-settings.js";

const EventsBody = checked(
  z.object({
    events: z
      .array(z.unknown().describe("an event: { type, email | leadId | anonymousId, id?, occurredAt?, properties? }; each is checked on its own and refused by index"))
      .min(1, "events must not be empty")
      .max(MAX_BATCH, `at most ${MAX_BATCH} events a request`),
  }),
  "request: expected { events: [...] }",
);

/** `wait=true`: answer once the batch is scored; any other value: once stored (read by the handler) */
const EventsQuery = described(z.object({ wait: z.string().optional().describe("true: answer once the batch is scored, 202 with `pending` past 30 s") }));
/** ids the runtime checks itself (flow and template ids, a lead's id or e-mail): documented here */
const IdParam = described(z.object({ id: z.string() }));
const KeyParam = described(z.object({ key: z.string().describe("the lead's id or e-mail address") }));

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Body limits per route (413 past them). A batch of events is the largest thing sent; a
 * template may hold 500,000 characters of HTML and as much text; a flow, the model, reps or a
 * lead are documents well under 1 MiB; every other route takes a few fields.
 */
const BODY_LIMIT = { events: 5 * MiB, template: 2 * MiB, document: 1 * MiB, other: 16 * KiB } as const;

/** The public REST API (DESIGN §7): secret API keys; thin handlers over runtime services. */
export async function restRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<ZodTypeProvider>();
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
  settingsRestRoutes(app, ctx, BODY_LIMIT.document);

  app.post("/events", { bodyLimit: BODY_LIMIT.events, schema: { ...doc("events", "send a batch of events", { 200: R.IngestResultSchema, 202: R.PendingResultSchema }), querystring: EventsQuery, body: EventsBody } }, async (request, reply) => {
    // ?wait=true: answer once the batch is scored (202 with `pending` past 30 s); else once stored
    const answer = await receiveEvents(deps, request.body.events, (request.query as { wait?: string }).wait === "true");
    return reply.status(answer.status).send(answer.body);
  });

  const leadBody = described(LeadInput);
  app.put("/leads", { bodyLimit: BODY_LIMIT.document, schema: { ...doc("leads", "create or update a lead by e-mail", { 200: R.LeadViewSchema, 201: R.LeadViewSchema }), body: leadBody } }, async (request, reply) => {
    const { lead, created } = await upsertLead(deps, request.body);
    return reply.status(created ? 201 : 200).send(lead);
  });
  // the router has decoded the key once already; decoding again would misread a "%" in it
  app.get("/leads/:key", { schema: { ...doc("leads", "a lead with scores, ledger and trend", { 200: R.LeadViewSchema }), params: KeyParam } }, async (request) =>
    getLead(db, (request.params as { key: string }).key),
  );

  app.get("/flows", { schema: doc("flows", "list flows", { 200: z.object({ flows: z.array(R.FlowSummarySchema) }) }) }, async () => ({ flows: await listFlows(db) }));
  const flowBody = described(FlowDocumentShape);
  app.put("/flows/:id", { bodyLimit: BODY_LIMIT.document, schema: { ...doc("flows", "save a flow's draft", { 200: JsonObject }), params: IdParam, body: flowBody } }, async (request) =>
    saveFlowDraft(db, (request.params as { id: string }).id, request.body),
  );
  app.get("/flows/:id", { schema: { ...doc("flows", "a flow's draft, published version and issues", { 200: R.FlowViewSchema }), params: IdParam } }, async (request) => {
    const flow = await getFlow(db, (request.params as { id: string }).id);
    return { ...(flow.draft as object), publishedVersion: flow.publishedVersion, issues: flow.issues };
  });
  app.post("/flows/:id/publish", { schema: { ...doc("flows", "publish the draft as a new version", { 200: R.PublishedSchema }), params: IdParam } }, async (request) =>
    publishFlow(db, (request.params as { id: string }).id),
  );

  const templateBody = described(TemplateInputSchema);
  app.put("/templates/:id", { bodyLimit: BODY_LIMIT.template, schema: { ...doc("templates", "save a template", { 200: R.TemplateSchema }), params: IdParam, body: templateBody } }, async (request) =>
    saveTemplate(db, (request.params as { id: string }).id, request.body),
  );
  app.get("/templates/:id", { schema: { ...doc("templates", "a template", { 200: R.TemplateSchema }), params: IdParam } }, async (request) => getTemplate(db, (request.params as { id: string }).id));

  app.post("/templates/:id/test", { schema: { ...doc("templates", "send a test e-mail of a template", { 200: JsonObject }), params: IdParam, body: described(JsonObject) } }, async (request) =>
    sendTestEmail(deps, (request.params as { id: string }).id, request.body ?? {}),
  );

}
