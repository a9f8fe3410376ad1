/**
 * The tRPC procedures an anonymous caller may use; every other one needs a session (the route
 * inventory test checks each against the running server). Add here only with a reason.
 */
export const PUBLIC_PROCEDURES = [
  /** who is signed in (null when nobody), and whether setup is needed: the app's first call */
  "auth.me",
  "auth.signIn",
  /** creates the first admin, only while no user exists */
  "auth.setup",
] as const;

/** Public procedures that try or create credentials: the HTTP edge rate-limits them per client address. */
export const CREDENTIAL_PROCEDURES: readonly (typeof PUBLIC_PROCEDURES)[number][] = ["auth.signIn", "auth.setup"];
