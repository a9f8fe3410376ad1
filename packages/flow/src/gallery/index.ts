import type { GalleryFlow } from "./gallery-flow.js";
import { handOff } from "./hand-off.js";
import { pageValueScoring } from "./page-value-scoring.js";
import { reEngagement } from "./re-engagement.js";
import { tierNurture } from "./tier-nurture.js";

export type { GalleryFlow } from "./gallery-flow.js";

/** The template gallery: each entry starts a draft. */
export const galleryFlows: GalleryFlow[] = [pageValueScoring, handOff, reEngagement, tierNurture];
