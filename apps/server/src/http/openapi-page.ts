/**
 * The reference page at /docs: every operation of the OpenAPI document with its summary,
 * parameters, body and answers, rendered on the server as plain HTML (no script, no asset
 * from elsewhere: it passes the server's Content Security Policy as it is).
 */
interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  info: { title: string; description?: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** a schema as indented JSON, at most 4,000 characters (a component is referenced, not repeated) */
const schemaText = (schema: unknown) => {
  const text = JSON.stringify(schema, null, 2) ?? "";
  return escapeHtml(text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text);
};

function operationHtml(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? []).map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ", required" : ""})</li>`).join("");
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const answers = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<li>${escapeHtml(status)}${r.description ? `: ${escapeHtml(r.description)}` : ""}</li>`)
    .join("");
  const auth = op.security && op.security.length === 0 ? "public" : "secret API key (Bearer)";
  return [
    `<section id="${escapeHtml(`${method}-${path}`)}"><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>`,
    `<p>${escapeHtml(op.summary ?? "")} <em>(${auth})</em></p>`,
    params ? `<h4>Parameters</h4><ul>${params}</ul>` : "",
    body ? `<h4>Body</h4><pre>${schemaText(body)}</pre>` : "",
    answers ? `<h4>Answers</h4><ul>${answers}</ul>` : "",
    "</section>",
  ].join("");
}

export function referencePage(doc: Document): string {
  const sections = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => operationHtml(method, path, op)));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}: reference</title></head><body>
<h1>${escapeHtml(doc.info.title)} (version ${escapeHtml(doc.info.version)})</h1>
<p>${escapeHtml(doc.info.description ?? "")} The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join("\n")}
</body></html>`;
}
