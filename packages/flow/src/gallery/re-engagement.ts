import type { GalleryFlow } from "./gallery-flow.js";

/**
 * When a lead's total falls below 30 (decay included), one day later a re-engagement
 * e-mail; if the lead has done nothing in the 7 days after it, its stage becomes `recycled`.
 */
export const reEngagement: GalleryFlow = {
  id: "re-engagement",
  name: "Re-engagement",
  description:
    "Score drops below 30 → wait 1 day → re-engagement e-mail → wait 7 days → no activity since: stage recycled.",
  document: {
    id: "re-engagement",
    name: "Re-engagement",
    reentry: "always",
    nodes: [
      { id: "t-drop", type: "trigger.score", label: "Score drops below 30", config: { crosses: 30, direction: "down", score: "total" }, position: { x: 0, y: 80 } },
      { id: "w-1d", type: "wait", label: "1 day", config: { days: 1 }, position: { x: 260, y: 80 } },
      { id: "mail", type: "email.send", label: "Re-engagement e-mail", config: { templateId: "re-engagement" }, position: { x: 520, y: 80 } },
      { id: "w-7d", type: "wait", label: "7 days", config: { days: 7 }, position: { x: 780, y: 80 } },
      {
        id: "quiet",
        type: "condition",
        label: "No activity since the e-mail",
        // a lead that never had an event has no daysSinceActivity: quiet too
        config: {
          match: "any",
          where: [
            { field: "lead.daysSinceActivity", op: "gte", value: 7 },
            { field: "lead.daysSinceActivity", op: "notExists" },
          ],
        },
        position: { x: 1040, y: 80 },
      },
      { id: "recycle", type: "lead.update", label: "Stage recycled", config: { stage: "recycled" }, position: { x: 1300, y: 0 } },
    ],
    edges: [
      { from: "t-drop", to: "w-1d" },
      { from: "w-1d", to: "mail" },
      { from: "mail", to: "w-7d" },
      { from: "w-7d", to: "quiet" },
      { from: "quiet", to: "recycle", port: "yes" },
    ],
  },
};
