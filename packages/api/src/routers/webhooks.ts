import { z } from "zod";
import { rotateWebhookSecret, webhookSecretStatus } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

const SecretStatus = z.object({ exists: z.boolean(), createdAt: z.string().nullable() });
const NewSecret = z.object({ secret: z.string(), createdAt: z.string() });

/** The workspace's webhook signing secret: its status (never the secret) and rotation (shows the new one once). */
export const webhooksRouter = router({
  secretStatus: marketerProcedure.output(SecretStatus).query(({ ctx }) => webhookSecretStatus(ctx.deps.db)),
  rotateSecret: marketerProcedure.output(NewSecret).mutation(({ ctx }) => rotateWebhookSecret(ctx.deps.db, ctx.deps.clock.now())),
});
