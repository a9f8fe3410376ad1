/** Keys of a form_submit event that describe the page or form, not the person. */
const PAGE_KEYS = new Set(["url", "title", "referrer", "path", "formId", "formName", "form", "page"]);
const NAME = /^[\w.-]{1,64}$/;

/**
 * The lead properties a `form_submit` event carries: its scalar fields (text up to 2,000
 * characters, numbers, booleans) other than the page/form metadata, like a form mapped to
 * contact fields in HubSpot or Mautic.
 */
export function formFields(properties: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (PAGE_KEYS.has(key) || !NAME.test(key) || key === "email") continue;
    if (typeof value === "string" && value.length > 0 && value.length <= 2000) out[key] = value.trim();
    else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") out[key] = value;
  }
  return out;
}
