import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Kysely } from "kysely";
import { findActiveSiteKeyByHash, insertSiteKey, listSiteKeys, revokeSiteKey, type DB } from "@leadflow/db";
import { safeString } from "@leadflow/flow";
import { AppError, invalidInput, notFound } from "../errors.js";

export const SITE_KEY_PREFIX = "lf_pk_";
export const MAX_SITE_KEY_ORIGINS = 20;
const MAX_KEY_LENGTH = 100;

/** Same reasoning as API keys: 24 random bytes leave no dictionary to guess from, so sha256 is enough. */
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/**
 * `https://Shop.Example:443/path` → `https://shop.example`. Only http(s) origins, without
 * credentials, path, query or fragment; undefined when the text is no such origin.
 */
export function normalizeOrigin(text: string): string | undefined {
  if (text.length > 300) return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password) return undefined;
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) return undefined;
  return url.origin;
}

const OriginInput = z.string().max(300).transform((text, ctx) => {
  const origin = normalizeOrigin(text);
  if (!origin) {
    ctx.addIssue({ code: "custom", message: `"${text.slice(0, 80)}" is not a website address like https://www.example.com` });
    return z.NEVER;
  }
  return origin;
});

export const SiteKeyInput = z.object({
  name: safeString(100).trim().min(1, "a name is required"),
  origins: z.array(OriginInput).max(MAX_SITE_KEY_ORIGINS, `at most ${MAX_SITE_KEY_ORIGINS} origins`).default([]),
});
export type SiteKeyInput = z.input<typeof SiteKeyInput>;

export interface SiteKeyView {
  id: string;
  name: string;
  /** the key's first characters, to tell keys apart; the key itself is shown once */
  prefix: string;
  origins: string[];
  createdAt: string;
  revokedAt: string | null;
}

export interface VerifiedSiteKey {
  id: string;
  name: string;
  origins: string[];
}

/** Creates a key and returns it with its secret part: the only time the key is shown. */
export async function createSiteKey(db: Kysely<DB>, input: unknown): Promise<SiteKeyView & { key: string }> {
  const parsed = SiteKeyInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "site key");
  const origins = [...new Set(parsed.data.origins)];
  const key = `${SITE_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const id = randomUUID();
  const prefix = key.slice(0, 12);
  await insertSiteKey(db, { id, name: parsed.data.name, prefix, keyHash: hashKey(key), origins });
  return { id, name: parsed.data.name, prefix, origins, createdAt: new Date().toISOString(), revokedAt: null, key };
}

export async function listSiteKeyViews(db: Kysely<DB>): Promise<SiteKeyView[]> {
  const rows = await listSiteKeys(db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    origins: r.origins,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  }));
}

/** Revokes the key: from now on nothing it sends is accepted. Throws `not_found`. */
export async function revokeSiteKeyById(db: Kysely<DB>, id: string): Promise<void> {
  if (!(await revokeSiteKey(db, id))) throw notFound("site key");
}

/** True when the text is shaped like a site key (so a secret route can say why it refuses it). */
export const looksLikeSiteKey = (key: string | undefined): boolean => !!key && key.startsWith(SITE_KEY_PREFIX);

/**
 * The key, when it is active and may be used from `origin`. `origin` is the request's Origin
 * header: absent for servers (Segment SDKs), which the key's origins do not restrict; a browser
 * always sends it cross-origin, so an origin the key does not allow is refused.
 * Throws `unauthorized` for an unknown or revoked key, `forbidden` for a disallowed origin.
 */
export async function verifySiteKey(db: Kysely<DB>, key: string | undefined, origin?: string): Promise<VerifiedSiteKey> {
  if (!key || !looksLikeSiteKey(key) || key.length > MAX_KEY_LENGTH) {
    throw new AppError("unauthorized", "a valid site key is required");
  }
  const row = await findActiveSiteKeyByHash(db, hashKey(key));
  if (!row) throw new AppError("unauthorized", "the site key is not valid or was revoked");
  if (origin !== undefined && !siteKeyAllowsOrigin(row.origins, origin)) {
    throw new AppError("forbidden", "this site key may not be used from this website");
  }
  return { id: row.id, name: row.name, origins: row.origins };
}

/** No origins listed means any origin; otherwise the normalized origin must be listed. */
export function siteKeyAllowsOrigin(origins: readonly string[], origin: string): boolean {
  if (origins.length === 0) return true;
  const normalized = normalizeOrigin(origin);
  return !!normalized && origins.includes(normalized);
}
