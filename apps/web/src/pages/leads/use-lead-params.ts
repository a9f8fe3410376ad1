import { useEffect, useState } from "react";
import { navigate, useLocation } from "../../router.js";

export const SORTS = [
  { value: "score", label: "Highest score" },
  { value: "recent", label: "Most recent activity" },
  { value: "email", label: "E-mail (A–Z)" },
] as const;
export type Sort = (typeof SORTS)[number]["value"];

/**
 * The leads list's filters live in the URL (a link to a filtered list works). Reads them, writes
 * changes back (replacing the history entry), and keeps the search box's text, which reaches the
 * URL ~300 ms after the last keystroke.
 */
export function useLeadParams() {
  const { path, query } = useLocation();
  const search = query.get("q") ?? "";
  const sortParam = query.get("sort");
  const params = {
    search,
    tier: query.get("tier") ?? "",
    owner: query.get("owner") ?? "",
    stage: query.get("stage") ?? "",
    sort: (SORTS.some((s) => s.value === sortParam) ? sortParam : "score") as Sort,
    page: Math.max(1, Number.parseInt(query.get("page") ?? "1", 10) || 1),
  };

  /** Any change but paging goes back to page 1; defaults (sort by score, page 1) stay out of the URL. */
  const setParams = (changes: Record<string, string>) => {
    const next = new URLSearchParams(window.location.search); // current even when called from a timer
    for (const [k, v] of Object.entries(changes)) {
      if (v === "" || (k === "sort" && v === "score") || (k === "page" && v === "1")) next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    const qs = next.toString();
    navigate(qs ? `${path}?${qs}` : path, true);
  };

  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);
  useEffect(() => {
    if (text === search) return;
    const t = setTimeout(() => setParams({ q: text }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const clear = () => {
    setText("");
    navigate(params.sort === "score" ? path : `${path}?sort=${params.sort}`, true);
  };
  const filtered = Boolean(params.search || params.tier || params.owner || params.stage);
  return { ...params, filtered, text, setText, setParams, clear };
}

export type LeadParams = ReturnType<typeof useLeadParams>;
