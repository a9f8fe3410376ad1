import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { describe, expectTypeOf, it } from "vitest";
import type { AppRouter } from "./root.js";

/**
 * The web client type-checks what it sends and reads: no procedure's input or output may be
 * `unknown` or `any` anywhere inside, except the free-form JSON listed below. Checked by the
 * package's typecheck (`pnpm --filter @leadflow/api typecheck`); the test body does nothing.
 */

/** "<path>: unknown|any" for every loose place inside T (arrays as `[]`, records as `${string}`). */
type Loose<T, P extends string, Depth extends unknown[] = []> = Depth["length"] extends 8
  ? never
  : 0 extends 1 & T
    ? `${P}: any`
    : unknown extends T
      ? `${P}: unknown`
      : T extends readonly (infer E)[]
        ? Loose<E, `${P}[]`, [...Depth, 0]>
        : T extends object
          ? { [K in keyof T & string]-?: Loose<T[K], `${P}.${K}`, [...Depth, 0]> }[keyof T & string]
          : never;

type EveryProcedure<O, Side extends string> = {
  [R in keyof O & string]: { [Q in keyof O[R] & string]: Loose<O[R][Q], `${Side} ${R}.${Q}`> }[keyof O[R] & string];
}[keyof O & string];

/**
 * Free-form by design: a node's config in a document (validate() checks it per node type, so
 * a draft may hold a bad one), a fit rule's `where` (checked as conditions), a lead's and an
 * event's properties, a fit rule's compared value, an exit node's config.
 */
type NodeConfigs<Side extends string, P extends string> = `${Side} ${P}.nodes[].config.${string}: unknown`;
type FreeInputs = NodeConfigs<"in", "flows.check.document" | "flows.saveDraft.document"> | "in model.save.fitRules[].where[]: unknown";
type FreeOutputs =
  | NodeConfigs<"out", "flows.get.draft" | "flows.saveDraft.draft" | "flows.version" | "flows.gallery[].document">
  | `out leads.get.lead.properties.${string}: unknown`
  | "out leads.get.lead.fit[].value: unknown"
  | `out leads.get.activity.events[].properties.${string}: unknown`;

describe("the tRPC router's types", () => {
  it("has no unknown or any in an input or output but the free-form JSON", () => {
    expectTypeOf<EveryProcedure<inferRouterInputs<AppRouter>, "in">>().toEqualTypeOf<FreeInputs>();
    expectTypeOf<EveryProcedure<inferRouterOutputs<AppRouter>, "out">>().toEqualTypeOf<FreeOutputs>();
  });
});
