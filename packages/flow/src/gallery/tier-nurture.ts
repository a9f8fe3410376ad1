import type { GalleryFlow } from "./gallery-flow.js";

/**
 * The e-mail of the tier a lead has just entered, once per entry, with the default tiers
 * (Cold < 30 ≤ Warm < 70 ≤ Hot). Score crossings, not tier names, drive it, so it works whatever
 * moved the score (an event, a property change, decay). A jump over a whole tier sends only the
 * e-mail of the tier the lead lands in: the conditions check where the score ended up.
 */
export const tierNurture: GalleryFlow = {
  id: "tier-nurture",
  name: "Tier nurture",
  description:
    "Sends nurture-warm when a lead enters Warm (from either side), nurture-hot when it enters Hot, nurture-cold when it falls back to Cold; each once per entry. Needs those three templates.",
  document: {
    id: "tier-nurture",
    name: "Tier nurture",
    reentry: "always",
    nodes: [
      { id: "up-30", type: "trigger.score", label: "Warms up (30)", config: { crosses: 30, direction: "up", score: "total" }, position: { x: 0, y: 0 } },
      { id: "down-70", type: "trigger.score", label: "Cools from Hot (70)", config: { crosses: 70, direction: "down", score: "total" }, position: { x: 0, y: 160 } },
      { id: "up-70", type: "trigger.score", label: "Turns Hot (70)", config: { crosses: 70, direction: "up", score: "total" }, position: { x: 0, y: 320 } },
      { id: "down-30", type: "trigger.score", label: "Cools to Cold (30)", config: { crosses: 30, direction: "down", score: "total" }, position: { x: 0, y: 480 } },
      {
        id: "landed-warm-from-below", type: "condition", label: "Still below Hot?",
        config: { where: [{ field: "score.total", op: "lt", value: 70 }], match: "all" }, position: { x: 280, y: 0 },
      },
      {
        id: "landed-warm-from-above", type: "condition", label: "Still Warm?",
        config: { where: [{ field: "score.total", op: "gte", value: 30 }], match: "all" }, position: { x: 280, y: 160 },
      },
      { id: "mail-warm", type: "email.send", label: "Warm e-mail", config: { templateId: "nurture-warm" }, position: { x: 560, y: 80 } },
      { id: "mail-hot", type: "email.send", label: "Hot e-mail", config: { templateId: "nurture-hot" }, position: { x: 560, y: 320 } },
      { id: "mail-cold", type: "email.send", label: "Cold e-mail", config: { templateId: "nurture-cold" }, position: { x: 560, y: 480 } },
    ],
    edges: [
      { from: "up-30", to: "landed-warm-from-below" },
      { from: "down-70", to: "landed-warm-from-above" },
      { from: "landed-warm-from-below", to: "mail-warm", port: "yes" },
      { from: "landed-warm-from-above", to: "mail-warm", port: "yes" },
      { from: "up-70", to: "mail-hot" },
      { from: "down-30", to: "mail-cold" },
    ],
  },
};
