import { defaultScoringModel } from "@leadflow/engine";
import { galleryFlows } from "@leadflow/flow";

/** The spine's scenario (issue 2), shared by the integration tests and the benchmark. */
const handOff = galleryFlows.find((g) => g.id === "hand-off")!;
/** The gallery's demo/pricing hand-off: page_view /pricing +10, demo_request +30, at 50 an e-mail and a rep. */
export const handoffFlow = handOff.document;

export const scoringModel = {
  fitRules: [{ field: "country", op: "notIn", value: ["HU", "AT", "DE"], points: -20 }],
  tiers: defaultScoringModel.tiers, // Cold < 30 ≤ Warm < 70 ≤ Hot
  decay: { kind: "none" },
  categoryCaps: {},
};

export const warmIntro = {
  subject: "{{ lead.firstName | default: \"Hello\" }}, let's talk",
  html: "<p>Hi {{ lead.firstName | default: \"there\" }},</p><p>You looked at our pricing: shall we talk?</p>",
};

export const reps = {
  reps: [
    { id: "rep1", name: "Rita One", email: "rita@sales.test" },
    { id: "rep2", name: "Sam Two", email: "sam@sales.test" },
  ],
};

export const pricingView = (email: string, id?: string) => ({
  ...(id ? { id } : {}),
  email,
  type: "page_view",
  properties: { url: "https://example.com/pricing?plan=pro" },
});
export const demoRequest = (email: string, id?: string) => ({ ...(id ? { id } : {}), email, type: "demo_request" });

/**
 * Sets up the scenario through the REST API: scoring model, template, reps, the hand-off flow
 * published. Throws on any refused request; returns the publish answer.
 */
export async function setUpHandOff(s: { api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> }) {
  const steps: [string, string, unknown?][] = [
    ["PUT", "/api/v1/scoring-model", scoringModel],
    ["PUT", "/api/v1/templates/warm-intro", warmIntro],
    ["PUT", "/api/v1/reps", reps],
    ["PUT", "/api/v1/flows/hand-off", handoffFlow],
    ["POST", "/api/v1/flows/hand-off/publish"],
  ];
  let last: unknown;
  for (const [method, path, body] of steps) {
    const r = await s.api(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    last = r.body;
  }
  return last;
}
