/** 32-bit FNV-1a over UTF-16 code units: stable across processes, so a lead always lands in the same variant. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Picks a variant by weight from the hash of (lead id + flow id + node id). */
export function pickVariant(variants: readonly { name: string; weight: number }[], leadId: string, flowId: string, nodeId: string): string {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let point = fnv1a(leadId + flowId + nodeId) % total;
  for (const v of variants) {
    if (point < v.weight) return v.name;
    point -= v.weight;
  }
  // only reachable through floating-point rounding with fractional weights
  return variants[variants.length - 1]!.name;
}
