import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  changeScoringModel,
  DecayPreviewInput,
  listOutbox,
  listReps,
  loadEventNames,
  loadFrequencyCap,
  loadScoringModel,
  loadWorkspace,
  previewDecay,
  RepsInput,
  retryJob,
  rotateWebhookSecret,
  saveEventNames,
  saveFrequencyCap,
  saveReps,
  saveWorkspace,
  webhookSecretStatus,
  Workspace,
} from "@leadflow/runtime";
import { OutboxStatus, ScoringModel } from "@leadflow/flow";
import type { AppContext } from "../context.js";
import { checked, described, errorResponses, JsonObject } from "./openapi-schema.js";
import * as R from "./openapi-responses.js";

/** a route's documentation: its tag, a summary, and its answers (refusals as ErrorSchema) */
export const doc = <T extends object>(tag: string, summary: string, response: T) => ({ tags: [tag], summary, response: { ...response, ...errorResponses } });

const OutboxQuery = checked(
  z.object({
    status: OutboxStatus.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
  "query",
);
const JobParams = checked(z.object({ id: z.uuid("id must be an outbox job id (a UUID)") }), "outbox job");
const EmailSettingsBody = checked(z.object({ frequencyCap: z.unknown().describe("see FrequencyCap: checked by the runtime") }), "e-mail settings: expected { frequencyCap }");

/**
 * The REST API's settings and operations (under restRoutes' key check): scoring model, workspace,
 * reps, the outbox, the webhook secret, Segment event names, e-mail settings.
 */
export function settingsRestRoutes(server: FastifyInstance, ctx: AppContext, documentLimit: number) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;
  const db = deps.db;
  const modelBody = described(ScoringModel);
  app.get("/scoring-model", { schema: doc("scoring", "the scoring model", { 200: JsonObject }) }, async () => loadScoringModel(db));
  // how current leads' tiers would change under another decay policy; changes nothing
  app.post("/scoring-model/preview", { schema: { ...doc("scoring", "preview another decay policy", { 200: JsonObject }), body: described(DecayPreviewInput) } }, async (request) =>
    previewDecay(db, request.body, deps.clock.now()),
  );
  app.get("/workspace", { schema: doc("settings", "the workspace settings", { 200: JsonObject }) }, async () => loadWorkspace(db));
  app.put("/workspace", { schema: { ...doc("settings", "save the workspace settings", { 200: JsonObject }), body: described(Workspace) } }, async (request) => saveWorkspace(db, request.body));
  app.put("/scoring-model", { bodyLimit: documentLimit, schema: { ...doc("scoring", "save the model and rescore every lead", { 200: JsonObject }), body: modelBody } }, async (request) => {
    return (await changeScoringModel(deps, request.body)).model;
  });


  const repsAnswer = { 200: z.object({ reps: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })) }) };
  app.get("/reps", { schema: doc("reps", "the sales reps", repsAnswer) }, async () => ({ reps: await listReps(db) }));
  app.put("/reps", { bodyLimit: documentLimit, schema: { ...doc("reps", "replace the sales reps", repsAnswer), body: described(RepsInput) } }, async (request) => ({ reps: await saveReps(db, request.body) }));


  // the dead-letter list is `?status=dead`; retry gives a dead job a fresh set of attempts
  app.get("/outbox", { schema: { ...doc("outbox", "outbox jobs, newest first", { 200: z.object({ jobs: z.array(R.OutboxJobSchema) }) }), querystring: OutboxQuery } }, async (request) => ({
    jobs: await listOutbox(db, request.query),
  }));
  app.post("/outbox/:id/retry", { schema: { ...doc("outbox", "retry a dead job", { 200: JsonObject }), params: JobParams } }, async (request) =>
    retryJob(db, request.params.id, deps.clock.now()),
  );

  // the secret webhooks are signed with: GET tells whether one exists, only rotation returns it (once)
  app.get("/webhook-secret", { schema: doc("webhooks", "whether a signing secret exists", { 200: R.WebhookSecretStatusSchema }) }, async () => webhookSecretStatus(db));
  app.post("/webhook-secret/rotate", { schema: doc("webhooks", "a new signing secret (shown once)", { 200: R.WebhookSecretSchema }) }, async () => rotateWebhookSecret(db, deps.clock.now()));

  // how the Segment API's track names become event types (docs/tracking.md)
  const eventNames = { 200: z.object({ eventNames: z.record(z.string(), z.string()) }) };
  app.get("/event-names", { schema: doc("settings", "Segment track names to event types", eventNames) }, async () => ({ eventNames: await loadEventNames(db) }));
  app.put("/event-names", { bodyLimit: documentLimit, schema: { ...doc("settings", "save the track-name mapping", eventNames), body: described(z.object({ eventNames: z.record(z.string(), z.string()) })) } }, async (request) => ({
    eventNames: await saveEventNames(db, request.body),
  }));

  const cap = { 200: z.object({ frequencyCap: z.unknown() }) };
  app.get("/email-settings", { schema: doc("settings", "the e-mail frequency cap", cap) }, async () => ({ frequencyCap: await loadFrequencyCap(deps) }));
  app.put("/email-settings", { schema: { ...doc("settings", "save the e-mail frequency cap", cap), body: EmailSettingsBody } }, async (request) => ({
    frequencyCap: await saveFrequencyCap(db, request.body.frequencyCap),
  }));
}
