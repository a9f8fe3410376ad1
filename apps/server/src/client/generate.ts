import { writeFileSync } from "node:fs";
import { servedDocument, TYPES_FILE, typesOf } from "./generate-types.js";

// writes the client's types from the document the server serves (openapi.test.ts fails when they differ)
writeFileSync(TYPES_FILE, await typesOf(await servedDocument()));
console.log(`wrote ${TYPES_FILE.pathname}`);
