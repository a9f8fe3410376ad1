/** A tier name in its colour (tier-hot, tier-warm … in pages.css). */
export function TierBadge({ tier, testId }: { tier: string; testId?: string }) {
  return (
    <span className={`tier tier-${tier.toLowerCase()}`} data-testid={testId}>
      {tier}
    </span>
  );
}
