import { listMailbox } from "@leadflow/runtime";
import { authedProcedure, marketerProcedure, router } from "../trpc.js";

/** The local mailbox (e-mail kept when no SMTP server is configured). */
export const mailboxRouter = router({
  list: marketerProcedure.query(({ ctx }) => listMailbox(ctx.deps.db)),
  /** whether e-mail goes to an SMTP server or into this mailbox */
  mode: authedProcedure.query(({ ctx }) => ({ smtp: ctx.deps.transport !== undefined })),
});
