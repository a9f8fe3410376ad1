import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  MAX_BATCH,
  getFlow,
  getLead,
  getTemplate,
  ingestEvents,
  invalidInput,
  listFlows,
  listReps,
  loadScoringModel,
  publishFlow,
  rescoreAllLeads,
  saveFlowDraft,
  saveReps,
  saveScoringModel,
  saveTemplate,
  upsertLead,
  verifyApiKey,
} from "@leadflow/runtime";
import type { AppContext } from "../context.js";

const EventsBody = z.object({
  events: z.array(z.unknown()).min(1, "events must not be empty").max(MAX_BATCH, `at most ${MAX_BATCH} events a request`),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error.issues, what);
  return parsed.data;
}

/** The public REST API (DESIGN §7): secret API keys; thin handlers over runtime services. */
export async function restRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps, flows } = ctx;
  const db = deps.db;

  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    const key = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    await verifyApiKey(db, key);
  });

  app.post("/events", async (request) => {
    const body = parseBody(EventsBody, request.body, "request: expected { events: [...] }");
    return ingestEvents(deps, flows, body.events);
  });

  app.put("/leads", async (request, reply) => {
    const { lead, created } = await upsertLead(deps, flows, request.body);
    return reply.status(created ? 201 : 200).send(lead);
  });
  app.get<{ Params: { key: string } }>("/leads/:key", async (request) => getLead(db, decodeURIComponent(request.params.key)));

  app.get("/flows", async () => ({ flows: await listFlows(db) }));
  app.put<{ Params: { id: string } }>("/flows/:id", async (request) => saveFlowDraft(db, request.params.id, request.body));
  app.get<{ Params: { id: string } }>("/flows/:id", async (request) => {
    const flow = await getFlow(db, request.params.id);
    return { ...(flow.draft as object), publishedVersion: flow.publishedVersion, issues: flow.issues };
  });
  app.post<{ Params: { id: string } }>("/flows/:id/publish", async (request) => publishFlow(db, request.params.id));

  app.get("/scoring-model", async () => loadScoringModel(db));
  app.put("/scoring-model", async (request) => {
    const model = await saveScoringModel(db, request.body);
    await rescoreAllLeads(deps, flows);
    return model;
  });

  app.put<{ Params: { id: string } }>("/templates/:id", async (request) => saveTemplate(db, request.params.id, request.body));
  app.get<{ Params: { id: string } }>("/templates/:id", async (request) => getTemplate(db, request.params.id));

  app.get("/reps", async () => ({ reps: await listReps(db) }));
  app.put("/reps", async (request) => ({ reps: await saveReps(db, request.body) }));
}
