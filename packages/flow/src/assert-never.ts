/** Exhaustiveness guard for switches over a union: adding a node type without handling it fails to compile. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
