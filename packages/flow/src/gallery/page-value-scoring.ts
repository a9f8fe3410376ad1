import type { GalleryFlow } from "./gallery-flow.js";

const page = (id: string, contains: string[], points: number, y: number) => [
  {
    id: `t-${id}`,
    type: "trigger.event",
    label: `Visits ${id} pages`,
    config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "matches", value: contains.join("|") }] },
    position: { x: 0, y },
  },
  { id: `p-${id}`, type: "score.add", config: { points, category: "pages" }, position: { x: 300, y } },
];

/** Points by the value of the page visited (the Danish article's page-value system). */
export const pageValueScoring: GalleryFlow = {
  id: "page-value-scoring",
  name: "Page-value scoring",
  description: "Contact or book-a-meeting pages +10, product detail +5, overview +3, home +1, jobs or login −5.",
  document: {
    id: "page-value-scoring",
    name: "Page-value scoring",
    reentry: "always",
    nodes: [
      ...page("contact", ["/contact", "/book-a-meeting", "/book"], 10, 0),
      ...page("product", ["/products?/[^/]+"], 5, 120),
      ...page("overview", ["/products/?$", "/solutions/?$", "/features/?$"], 3, 240),
      { id: "t-home", type: "trigger.event", label: "Visits the home page", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "matches", value: "^(https?://[^/]+)?/?(\\?.*)?$" }] }, position: { x: 0, y: 360 } },
      { id: "p-home", type: "score.add", config: { points: 1, category: "pages" }, position: { x: 300, y: 360 } },
      ...page("internal", ["/jobs", "/careers", "/login"], -5, 480),
    ],
    edges: ["contact", "product", "overview", "home", "internal"].map((id) => ({ from: `t-${id}`, to: `p-${id}` })),
  },
};
