import { z } from "zod";
import { createUser, hasUsers, signIn, signOut, AppError } from "@leadflow/runtime";
import { authedProcedure, publicProcedure, router } from "../trpc.js";

const User = z.object({ id: z.string(), email: z.string(), role: z.enum(["admin", "marketer", "sales"]), repId: z.string().nullable() });

export const authRouter = router({
  /** the signed-in user, or null; and whether a first user must be created */
  me: publicProcedure
    .output(z.object({ user: User.nullable(), setupNeeded: z.boolean() }))
    .query(async ({ ctx }) => ({ user: ctx.user ?? null, setupNeeded: !(await hasUsers(ctx.deps.db)) })),
  signIn: publicProcedure
    .input(z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) }))
    .output(User)
    .mutation(async ({ ctx, input }) => {
      const { token, expiresAt, user } = await signIn(ctx.deps.db, input.email, input.password, ctx.deps.clock.now());
      ctx.cookie.set(token, expiresAt);
      return user;
    }),
  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await signOut(ctx.deps.db, ctx.cookie.token);
    ctx.cookie.clear();
    return { ok: true };
  }),
  /** one-time setup: creates the first admin, only while no user exists */
  setup: publicProcedure
    .input(z.object({ email: z.string(), password: z.string() }))
    .output(User)
    .mutation(async ({ ctx, input }) => {
      if (await hasUsers(ctx.deps.db)) throw new AppError("forbidden", "setup is done: sign in instead");
      await createUser(ctx.deps.db, { ...input, role: "admin" });
      const { token, expiresAt, user } = await signIn(ctx.deps.db, input.email, input.password, ctx.deps.clock.now());
      ctx.cookie.set(token, expiresAt);
      return user;
    }),
});
