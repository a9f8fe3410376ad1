import createClient from "openapi-fetch";
import type { paths } from "./api-types.js";

export type { paths, components } from "./api-types.js";

/**
 * A typed client of the server's HTTP API, from the OpenAPI document (api-types.ts, generated
 * by `pnpm --filter @leadflow/server gen:client`): paths, parameters, bodies and answers are
 * checked by TypeScript, so a caller cannot drift from the document, nor the document from the
 * server (openapi.test.ts). Calls answer `{ data, error, response }`, never throw on a status.
 */
export function createApiClient(baseUrl: string, options: { apiKey?: string } = {}) {
  return createClient<paths>({
    baseUrl,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;
