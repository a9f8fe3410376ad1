import type { GalleryFlow } from "./gallery-flow.js";

const page = (id: string, label: string, glob: string, points: number, y: number) => [
  {
    id: `t-${id}`,
    type: "trigger.event",
    label,
    config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "glob", value: glob }] },
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
    // page rules are globs on the URL's path (glob.ts): query, fragment, trailing slash and case
    // do not matter, so `https://example.com/Pricing/?utm_source=x` is the pricing page
    nodes: [
      ...page("contact", "Visits contact or booking pages", "/**/{contact,contact-us,book-a-meeting,book}/**", 10, 0),
      ...page("product", "Visits a product page", "/{product,products}/?*/**", 5, 120),
      ...page("overview", "Visits an overview page", "/{products,solutions,features}", 3, 240),
      ...page("home", "Visits the home page", "/", 1, 360),
      ...page("internal", "Visits jobs or login pages", "/**/{jobs,careers,login}/**", -5, 480),
    ],
    edges: ["contact", "product", "overview", "home", "internal"].map((id) => ({ from: `t-${id}`, to: `p-${id}` })),
  },
};
