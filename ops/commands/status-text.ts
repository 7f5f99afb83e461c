/** A duration in the largest unit that keeps it short: `42s`, `15m`, `3h`, `2d`. */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)}h`;
  return `${Math.floor(whole / 86_400)}d`;
}

/** How long ago `iso` was, short: `15m ago`. */
export function ago(iso: string, now: Date): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '?';
  return `${duration((now.getTime() - at) / 1000)} ago`;
}

/** The granted scopes counted, and those the app asks for that are missing: `9`, `8 (1 missing)`. */
export function scopesSummary(granted: number, missing: number): string {
  return missing === 0 ? String(granted) : `${granted} (${missing} missing)`;
}
