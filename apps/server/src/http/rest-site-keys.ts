import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createSiteKey, listSiteKeyViews, revokeSiteKeyById } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { checked, described, errorResponses } from "./openapi-schema.js";
import { CreatedSiteKeySchema, SiteKeyViewSchema } from "./openapi-responses.js";

const IdParams = checked(z.object({ id: z.uuid("id must be a site key's id (a UUID)") }), "site key");
/** checked by createSiteKey (SiteKeyInput), documented here */
const SiteKeyBody = described(z.object({ name: z.string(), origins: z.array(z.string()).optional().describe("allowed origins; none: any website") }));

/**
 * Site keys over REST, for the secret API key (an admin's script): list, create (the answer is
 * the only time the key is shown), revoke.
 */
export function siteKeyRestRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = ctx.deps.db;
  const tags = ["site keys"];
  app.get("/site-keys", { schema: { tags, summary: "list site keys", response: { 200: z.object({ siteKeys: z.array(SiteKeyViewSchema) }), ...errorResponses } } }, async () => ({
    siteKeys: await listSiteKeyViews(db),
  }));
  app.post("/site-keys", { schema: { tags, summary: "create a site key (the key is shown once)", body: SiteKeyBody, response: { 201: CreatedSiteKeySchema, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createSiteKey(db, request.body ?? {})),
  );
  app.delete("/site-keys/:id", { schema: { tags, summary: "revoke a site key", params: IdParams, response: { 204: z.undefined(), ...errorResponses } } }, async (request, reply) => {
    await revokeSiteKeyById(db, request.params.id);
    return reply.status(204).send();
  });
}
