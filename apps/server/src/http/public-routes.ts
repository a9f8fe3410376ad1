import type { FastifyInstance } from "fastify";

/**
 * The HTTP routes an anonymous caller may reach, each with the reason: every other route
 * refuses a caller without a credential (apps/server/src/route-inventory.test.ts checks each
 * route of the running server against this list). "*" stands for every method. The built web
 * app's files (served when a webDir is given) are public too and are not listed one by one.
 */
export const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  "GET /healthz": "liveness probe for load balancers",
  "GET /readyz": "readiness probe: says which check failed (database, migrations, scheduler), nothing about the data",
  "GET /metrics": "Prometheus scrape: open on loopback only; from elsewhere it wants the Bearer METRICS_TOKEN",
  "GET /api/v1/openapi.json": "the OpenAPI 3.1 document of the REST API: describes it, holds no data",
  "GET /docs": "the API reference page, rendered from the OpenAPI document",
  "GET /t/o/:token": "open pixel: the signed token is the credential",
  "GET /t/c/:token": "click redirect: the signed token is the credential",
  "GET /t/p.js": "the website snippet: public JavaScript every tracked site loads",
  "OPTIONS /t/e": "CORS preflight of the snippet's intake: carries no data",
  "POST /t/e": "the snippet's intake: the site key in the body is the credential (tracking events only, from its allowed origins)",
  "GET /u/:token": "unsubscribe page: the signed token is the credential",
  "POST /v1/batch": "Segment-compatible intake: the write key (a site key) in HTTP Basic or the body is the credential",
  "POST /v1/track": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /v1/identify": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /v1/page": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /v1/screen": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /v1/group": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /v1/alias": "Segment-compatible intake: the write key (a site key) is the credential",
  "POST /u/:token": "unsubscribe (RFC 8058 one-click): the signed token is the credential",
  "* /trpc/:path": "tRPC: each procedure checks the session; PUBLIC_PROCEDURES (packages/api) names the open ones",
};

export function isPublicRoute(method: string, url: string): boolean {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  return `${m} ${url}` in PUBLIC_ROUTES || `* ${url}` in PUBLIC_ROUTES;
}

export interface RouteEntry {
  method: string;
  url: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** every route registered on this server, in order, one entry per method */
    readonly routeInventory: readonly RouteEntry[];
  }
}

/** Records every route from here on (call before the first route), as `app.routeInventory`. */
export function recordRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  app.decorate("routeInventory", routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}
