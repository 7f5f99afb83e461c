/** "just now", "1 minute ago", "12 minutes ago", "3 hours ago", "2 days ago": how long before `now` `iso` was. */
export function timeAgo(iso: string, now: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return 'at an unknown time';
  if (seconds < 60) return 'just now';
  return `${inWords(seconds)} ago`;
}

/** "15 minutes", "1 hour": a duration in its largest whole unit. */
export function inWords(seconds: number): string {
  const [count, unit] =
    seconds < 3600
      ? [Math.floor(seconds / 60), 'minute']
      : seconds < 86_400
        ? [Math.floor(seconds / 3600), 'hour']
        : [Math.floor(seconds / 86_400), 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "2026-11-30 11:48 UTC": the absolute time, readable, for a `<time datetime>` element's text. */
export function utcText(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
