import { createHmac, timingSafeEqual } from "node:crypto";
import { UUID_PATTERN } from "@leadflow/flow";

export type TokenKind = "open" | "click" | "unsubscribe";

/** What a token in an e-mail link vouches for. */
export interface TokenClaims {
  kind: TokenKind;
  jobId: string;
  leadId: string;
  /** the link's target (click tokens only) */
  url?: string;
}

const KIND_BYTE: Record<TokenKind, number> = { open: 1, click: 2, unsubscribe: 3 };
const PART = /^[A-Za-z0-9_-]+$/;
/** longer tokens are refused before any work (a click token carries its URL) */
export const MAX_TOKEN_LENGTH = 4096;

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex");
const uuidString = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const mac = (key: Buffer, payload: Buffer) => createHmac("sha256", key).update(payload).digest();

/**
 * `base64url(kind · job id · lead id · url) . base64url(HMAC-SHA256(key, payload))`. The kind is
 * inside the signed payload, so an open token cannot be replayed as an unsubscribe, and no
 * field can be changed without the key.
 */
export function signToken(key: Buffer, claims: TokenClaims): string {
  if (!UUID_PATTERN.test(claims.jobId) || !UUID_PATTERN.test(claims.leadId)) throw new Error("token ids must be UUIDs");
  const payload = Buffer.concat([
    Buffer.from([KIND_BYTE[claims.kind]]),
    uuidBytes(claims.jobId),
    uuidBytes(claims.leadId),
    Buffer.from(claims.kind === "click" ? (claims.url ?? "") : "", "utf8"),
  ]);
  return `${payload.toString("base64url")}.${mac(key, payload).toString("base64url")}`;
}

/** The claims of a genuine token of that kind; undefined for anything forged, altered or malformed. */
export function verifyToken(key: Buffer, token: string, kind: TokenKind): TokenClaims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const [body, sig, extra] = token.split(".");
  if (extra !== undefined || !body || !sig || !PART.test(body) || !PART.test(sig)) return undefined;
  const payload = Buffer.from(body, "base64url");
  const given = Buffer.from(sig, "base64url");
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (payload.length < 33 || payload[0] !== KIND_BYTE[kind]) return undefined;
  const claims: TokenClaims = { kind, jobId: uuidString(payload.subarray(1, 17)), leadId: uuidString(payload.subarray(17, 33)) };
  if (kind === "click") {
    claims.url = payload.subarray(33).toString("utf8");
    if (!/^https?:\/\//i.test(claims.url)) return undefined;
  }
  return claims;
}
