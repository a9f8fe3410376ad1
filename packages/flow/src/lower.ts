/**
 * `String(v).toLowerCase()`, remembering the last few strings lowered. The conditions of one
 * event read the same few values again and again (the bench's 48 rules lowercase `url` 22
 * times per page view); a hit costs a comparison instead of a scan and a new string. A pure
 * memo: the answer is what toLowerCase gives. Only strings up to MEMO_MAX_LENGTH are kept,
 * so the memo never holds a large value alive.
 */
const SLOTS = 4;
const MEMO_MAX_LENGTH = 2048;
const inputs: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
const outputs: string[] = new Array<string>(SLOTS).fill("");
let next = 0;

export function lower(v: unknown): string {
  if (typeof v !== "string") return String(v).toLowerCase();
  for (let i = 0; i < SLOTS; i++) if (inputs[i] === v) return outputs[i]!;
  const out = v.toLowerCase();
  if (v.length <= MEMO_MAX_LENGTH) {
    inputs[next] = v;
    outputs[next] = out;
    next = (next + 1) % SLOTS;
  }
  return out;
}
