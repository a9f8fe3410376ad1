import type { TemplateSource } from "./render.js";

/** The variable a template uses for its own unsubscribe link: `<a href="{{ unsubscribe_url }}">`. */
export const UNSUBSCRIBE_VARIABLE = "unsubscribe_url";

const mentionsUnsubscribe = (text: string) => new RegExp(`\\b${UNSUBSCRIBE_VARIABLE}\\b`).test(text);

/**
 * A marketing template with an unsubscribe link in the body: the template's own when it uses
 * `{{ unsubscribe_url }}`, otherwise a footer appended to the HTML (before `</body>`) and to the
 * written text part. A text part made from the HTML carries the link already.
 */
export function withUnsubscribeLink(source: TemplateSource): TemplateSource {
  const footer = `<p style="font-size:12px;color:#6b7280;margin-top:24px">You receive this because you are in touch with us. <a href="{{ ${UNSUBSCRIBE_VARIABLE} }}">Unsubscribe</a></p>`;
  let html = source.html;
  if (!mentionsUnsubscribe(html)) {
    const close = html.search(/<\/body\s*>/i);
    html = close >= 0 ? `${html.slice(0, close)}${footer}${html.slice(close)}` : `${html}\n${footer}`;
  }
  let text = source.text;
  if (text && !mentionsUnsubscribe(text)) text = `${text}\n\n--\nUnsubscribe: {{ ${UNSUBSCRIBE_VARIABLE} }}`;
  return { subject: source.subject, html, text };
}

const decodeAttribute = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

const encodeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface TrackingOptions {
  /**
   * The tracked URL for a link's target, or undefined to leave the link alone. Called only for
   * http(s) links; mailto:, tel: and anchors are never rewritten.
   */
  trackLink: (url: string) => string | undefined;
  /** URL of the 1×1 open pixel, added at the end of the body */
  pixelUrl: string;
}

/**
 * Rewrites the rendered HTML's links to go through click tracking and adds the open pixel.
 * Works on rendered HTML, so hrefs that came from variables are tracked too. A link carrying
 * `data-leadflow-notrack` is left as it is.
 */
export function addTracking(html: string, options: TrackingOptions): string {
  const rewritten = html.replace(/<a\b[^>]*>/gi, (tag) => {
    if (/\sdata-leadflow-notrack\b/i.test(tag)) return tag;
    return tag.replace(/(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)')/i, (whole, prefix: string, dq?: string, sq?: string) => {
      const url = decodeAttribute((dq ?? sq ?? "").trim());
      if (!/^https?:\/\//i.test(url)) return whole;
      const tracked = options.trackLink(url);
      return tracked === undefined ? whole : `${prefix}"${encodeAttribute(tracked)}"`;
    });
  });
  const pixel = `<img src="${encodeAttribute(options.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  const close = rewritten.search(/<\/body\s*>/i);
  return close >= 0 ? `${rewritten.slice(0, close)}${pixel}${rewritten.slice(close)}` : `${rewritten}${pixel}`;
}
