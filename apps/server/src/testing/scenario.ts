/** The spine's scenario (issue 2), shared by the integration tests and the benchmark. */
export const handoffFlow = {
  id: "hand-off",
  name: "Hand-off",
  reentry: "always",
  nodes: [
    { id: "t-pricing", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: "/pricing" }] } },
    { id: "t-demo", type: "trigger.event", config: { eventType: "demo_request" } },
    { id: "p-pricing", type: "score.add", config: { points: 10, category: "pricing" } },
    { id: "p-demo", type: "score.add", config: { points: 30, category: "demo" } },
    { id: "h50", type: "score.threshold", config: { atLeast: 50 } },
    { id: "mail", type: "email.send", config: { templateId: "warm-intro" } },
    { id: "assign", type: "sales.assign", config: { strategy: "round_robin" } },
  ],
  edges: [
    { from: "t-pricing", to: "p-pricing" },
    { from: "t-demo", to: "p-demo" },
    { from: "p-pricing", to: "h50" },
    { from: "p-demo", to: "h50" },
    { from: "h50", to: "mail" },
    { from: "h50", to: "assign" },
  ],
};

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
