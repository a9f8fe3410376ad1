import type { FastifyInstance } from "fastify";
import fastifySwagger from "@fastify/swagger";
import { createJsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import { isPublicRoute, PUBLIC_ROUTES } from "./public-routes.js";
import { responseSerializer, zodValidatorCompiler } from "./openapi-schema.js";
import { referencePage } from "./openapi-page.js";

export const OPENAPI_PATH = "/api/v1/openapi.json";

/**
 * Which routes the document describes: the REST API (/api/v1), the public doors of
 * PUBLIC_ROUTES (pixel, click, unsubscribe, snippet, Segment intake, /healthz) and the CLI's
 * local control endpoint. tRPC (the web app's own API), the web app's files and the document
 * itself are left out.
 */
export function isDocumented(method: string, url: string): boolean {
  if (url === OPENAPI_PATH || url.startsWith("/docs") || url.startsWith("/trpc")) return false;
  return url.startsWith("/api/v1/") || url === "/internal/cli" || (isPublicRoute(method, url) && `${method} ${url}` in PUBLIC_ROUTES);
}

const zodTransform = createJsonSchemaTransform({});

/**
 * Registers the zod validator and serializer and @fastify/swagger (OpenAPI 3.1, schemas from
 * the routes' zod schemas). Call before the first route: the document is collected as routes
 * are added.
 */
export async function registerOpenApi(app: FastifyInstance, options: { checkResponses: boolean }): Promise<void> {
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(responseSerializer(options.checkResponses));
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Leadflow API",
        version: "1",
        description: "The REST API (a secret API key as Bearer token) and the public doors a tracked site, an e-mail or a Segment SDK reaches.",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "a secret API key (pnpm leadflow apikey create)" } } },
    },
    transform: (document) => {
      const method = [document.route.method].flat()[0]!;
      if (!isDocumented(method, document.url)) return { schema: { hide: true } as never, url: document.url };
      const out = zodTransform(document) as { schema: Record<string, unknown>; url: string };
      const reason = PUBLIC_ROUTES[`${method} ${document.url}`];
      const schema = { ...out.schema };
      if (reason) Object.assign(schema, { summary: schema.summary ?? reason, tags: schema.tags ?? ["public"], security: [] });
      else if (document.url === "/internal/cli") Object.assign(schema, { tags: ["internal"], security: [] });
      else schema.security ??= [{ apiKey: [] }];
      return { schema, url: out.url };
    },
    transformObject: jsonSchemaTransformObject,
  });
}

/** The document at /api/v1/openapi.json and a reference page at /docs; both public. */
export function openApiRoutes(app: FastifyInstance): void {
  app.get(OPENAPI_PATH, async () => app.swagger());
  app.get("/docs", async (_request, reply) => reply.type("text/html; charset=utf-8").send(referencePage(app.swagger() as never)));
}
