/**
 * Heuristics for opens and clicks made by machines rather than people: mail privacy proxies
 * that fetch every image on delivery, and security scanners that follow every link. Such events
 * are still recorded, flagged `machine: true`, so a flow can ignore them
 * (`event.properties.machine eq false`).
 */
export interface MachineVerdict {
  machine: boolean;
  reason?: string;
}

const AGENTS: [RegExp, string][] = [
  [/GoogleImageProxy|ggpht\.com/i, "google image proxy"],
  [/YahooMailProxy/i, "yahoo mail proxy"],
  [/BingPreview|Microsoft Office Protocol Discovery|OutlookImageProxy|Outlook-Safelinks/i, "outlook proxy or safe links"],
  [/Barracuda|Proofpoint|urldefense|Mimecast|Symantec|Forcepoint|Trend ?Micro|Sophos|FireEye|Cisco|IronPort|SpamTitan|Zscaler/i, "link scanner"],
  [/bot\b|bot\/|crawler|spider|preview|scanner|HeadlessChrome|PhantomJS|python-|curl\/|wget\/|Go-http-client|Java\/|okhttp|libwww|axios\/|node-fetch|undici/i, "automated client"],
];

/** Apple Mail Privacy Protection fetches from Apple's own network with a bare "Mozilla/5.0". */
const APPLE_NETWORK = /^(?:::ffff:)?17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function detectMachine(request: { userAgent?: string | undefined; ip?: string | undefined }): MachineVerdict {
  const ua = (request.userAgent ?? "").trim();
  if (!ua) return { machine: true, reason: "no user agent" };
  if (ua === "Mozilla/5.0") return { machine: true, reason: "apple mail privacy protection" };
  if (request.ip && APPLE_NETWORK.test(request.ip)) return { machine: true, reason: "apple mail privacy protection" };
  for (const [pattern, reason] of AGENTS) if (pattern.test(ua)) return { machine: true, reason };
  return { machine: false };
}
