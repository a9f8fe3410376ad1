import { galleryFlows } from "@leadflow/flow";

/** The spine's scenario (issue 2), shared by the integration tests and the benchmark. */
const handOff = galleryFlows.find((g) => g.id === "hand-off")!;
/** The gallery's demo/pricing hand-off: page_view /pricing +10, demo_request +30, at 50 an e-mail and a rep. */
export const handoffFlow = handOff.document;

export const scoringModel = {
  fitRules: [{ field: "country", op: "notIn", value: ["HU", "AT", "DE"], points: -20 }],
  tiers: [
    { name: "Cold", min: 0 },
    { name: "Warm", min: 30 },
    { name: "Hot", min: 70 },
  ],
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
