import { z } from "zod";
import { Role } from "@leadflow/flow";
import { createFirstAdmin, hasUsers, openSession, signIn, signOut, signOutEverywhere, AppError } from "@leadflow/runtime";
import { authedProcedure, publicProcedure, router } from "../trpc.js";

const User = z.object({ id: z.string(), email: z.string(), role: Role, repId: z.string().nullable() });
const Credentials = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) });

export const authRouter = router({
  /** the signed-in user, or null; and whether a first user must be created */
  me: publicProcedure
    .output(z.object({ user: User.nullable(), setupNeeded: z.boolean() }))
    .query(async ({ ctx }) => ({ user: ctx.user ?? null, setupNeeded: !(await hasUsers(ctx.deps.db)) })),
  /** opens a new session (the cookie's old one, if any, ends); locked out after repeated failures */
  signIn: publicProcedure
    .input(Credentials)
    .output(User)
    .mutation(async ({ ctx, input }) => {
      const { token, expiresAt, user } = await signIn(
        ctx.deps.db,
        { ...input, clientIp: ctx.clientIp, previousToken: ctx.cookie.token },
        ctx.deps.clock.now(),
      );
      ctx.cookie.set(token, expiresAt);
      return user;
    }),
  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await signOut(ctx.deps.db, ctx.cookie.token);
    ctx.cookie.clear();
    return { ok: true };
  }),
  /** ends every session of this user, on every device (a lost laptop, a shared computer) */
  signOutEverywhere: authedProcedure.output(z.object({ ended: z.number() })).mutation(async ({ ctx }) => {
    const ended = await signOutEverywhere(ctx.deps.db, ctx.user.id);
    ctx.cookie.clear();
    return { ended };
  }),
  /** one-time setup: creates the first admin, only while no user exists */
  setup: publicProcedure
    // createUser checks the e-mail and the password's length, with messages for the form
    .input(z.object({ email: z.string().max(320), password: z.string().max(200) }))
    .output(User)
    .mutation(async ({ ctx, input }) => {
      if (await hasUsers(ctx.deps.db)) throw new AppError("forbidden", "setup is done: sign in instead");
      const created = await createFirstAdmin(ctx.deps.db, input);
      const { token, expiresAt, user } = await openSession(ctx.deps.db, created, ctx.deps.clock.now(), ctx.cookie.token);
      ctx.cookie.set(token, expiresAt);
      return user;
    }),
});
