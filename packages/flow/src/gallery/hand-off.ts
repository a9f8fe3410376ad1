import type { GalleryFlow } from "./gallery-flow.js";

/** Demo requests and pricing views add up; at 50 the lead gets an intro e-mail and a sales rep. */
export const handOff: GalleryFlow = {
  id: "hand-off",
  name: "Demo / pricing hand-off",
  description: "Pricing page +10, demo request +30; at 50 points a warm intro e-mail and a round-robin sales rep.",
  document: {
    id: "hand-off",
    name: "Hand-off",
    reentry: "always",
    nodes: [
      { id: "t-pricing", type: "trigger.event", label: "Pricing page", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: "/pricing" }] }, position: { x: 0, y: 0 } },
      { id: "t-demo", type: "trigger.event", label: "Demo request", config: { eventType: "demo_request", where: [] }, position: { x: 0, y: 160 } },
      { id: "p-pricing", type: "score.add", config: { points: 10, category: "pricing" }, position: { x: 280, y: 0 } },
      { id: "p-demo", type: "score.add", config: { points: 30, category: "demo" }, position: { x: 280, y: 160 } },
      { id: "h50", type: "score.threshold", config: { atLeast: 50, score: "total" }, position: { x: 560, y: 80 } },
      { id: "mail", type: "email.send", config: { templateId: "warm-intro" }, position: { x: 840, y: 0 } },
      { id: "assign", type: "sales.assign", config: { strategy: "round_robin", property: "country" }, position: { x: 840, y: 160 } },
    ],
    edges: [
      { from: "t-pricing", to: "p-pricing" },
      { from: "t-demo", to: "p-demo" },
      { from: "p-pricing", to: "h50" },
      { from: "p-demo", to: "h50" },
      { from: "h50", to: "mail" },
      { from: "h50", to: "assign" },
    ],
  },
};
