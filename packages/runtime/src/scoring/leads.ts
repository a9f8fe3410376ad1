/** The lead write service: creating or updating a lead by e-mail (PUT /api/v1/leads, the CSV import). */
import { z } from "zod";
import { insertLeadIfAbsent, lockLeadByEmail } from "@leadflow/db";
import { safeJson, safeString } from "@leadflow/flow";
import { computeFit, tierFor, updateLeadProperties, type LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput } from "../errors.js";
import { emptyLead, leadStateFromRow } from "./lead-state.js";
import { ConcurrentUpdate, EngineSession } from "./engine-session.js";
import { withRetry } from "../retry.js";
import { getLead, type LeadView } from "../read/lead-view.js";

const MAX_PROPERTIES = 200;
const PropertyValue = z.union([safeString(2000), z.number(), z.boolean(), z.null()]);
export const LeadInput = safeJson().pipe(
  z.object({
    email: z.email("email is not a valid e-mail address").max(320),
    properties: z
      .record(safeString(100).regex(/^[\w.-]+$/, "property names: letters, digits, _ . -"), PropertyValue)
      .refine((p) => Object.keys(p).length <= MAX_PROPERTIES, `at most ${MAX_PROPERTIES} properties`)
      .default({}),
  }),
);

/**
 * Creates or updates a lead by e-mail (case-insensitive); given properties are merged over the
 * existing ones (null removes one). Fit and tier are recomputed; a tier change is recorded.
 */
export async function upsertLead(deps: RuntimeDeps, input: unknown): Promise<{ lead: LeadView; created: boolean }> {
  const parsed = LeadInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "lead");
  const { email, properties } = parsed.data;
  const now = deps.clock.now();
  const { id, created } = await withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const session = await EngineSession.open(deps, trx, now);
      const existing = await lockLeadByEmail(trx, email.toLowerCase());
      if (existing) {
        // fit rules may read behaviour (visit frequency): recomputed fit keeps counting it
        await session.loadBehaviour([existing.id]);
        session.take(updateLeadProperties(session.ctx, session.withHistory(leadStateFromRow(existing)), properties));
        await session.commit();
        return { id: existing.id, created: false };
      }
      const props = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null));
      const lead: LeadState = { ...emptyLead(), id: deps.newId(), email, properties: props };
      lead.fit = computeFit(session.ctx.model.fitRules, lead);
      lead.tier = tierFor(session.ctx.model.tiers, lead.fit);
      const inserted = await insertLeadIfAbsent(trx, { id: lead.id, email, properties: props, fit: lead.fit, tier: lead.tier, flowState: lead.flowState });
      // another request created it in the meantime: update it instead
      if (!inserted) throw new ConcurrentUpdate("lead created concurrently");
      return { id: lead.id, created: true };
    }),
  );
  return { lead: await getLead(deps.db, id), created };
}
