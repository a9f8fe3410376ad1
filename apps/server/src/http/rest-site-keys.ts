import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { createSiteKey, listSiteKeyViews, revokeSiteKeyById } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { parseInput } from "./parse-input.js";

const IdParams = z.object({ id: z.uuid("id must be a site key's id (a UUID)") });

/**
 * Site keys over REST, for the secret API key (an admin's script): list, create (the answer is
 * the only time the key is shown), revoke.
 */
export function siteKeyRestRoutes(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.deps.db;
  app.get("/site-keys", async () => ({ siteKeys: await listSiteKeyViews(db) }));
  app.post("/site-keys", async (request, reply) => reply.status(201).send(await createSiteKey(db, request.body ?? {})));
  app.delete("/site-keys/:id", async (request, reply) => {
    await revokeSiteKeyById(db, parseInput(IdParams, request.params, "site key").id);
    return reply.status(204).send();
  });
}
