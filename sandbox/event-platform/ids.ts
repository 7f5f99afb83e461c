import { createHash, randomBytes } from 'node:crypto';

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A UUID version 7 (time-ordered), as the Event Platform's ids are (`018e197c-dfe2-70f8-…`). */
export function uuidV7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return formatUuid(bytes.toString('hex'));
}

/** The PIM user's uuid, the `author.identifier` of the changes they make: stable for a username. */
export function userUuid(username: string): string {
  const bytes = createHash('sha256').update(`sandbox-user:${username}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return formatUuid(bytes.toString('hex'));
}

/** RFC 3339 in UTC to the second, as event `time` and notification `timestamp` are written. */
export function rfc3339Seconds(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 in UTC with microseconds, as the management API writes `created_at` and `updated_at`. */
export function rfc3339Micros(epochSeconds: number): string {
  const whole = Math.floor(epochSeconds);
  const micros = Math.round((epochSeconds - whole) * 1_000_000);
  const carried = micros === 1_000_000 ? { whole: whole + 1, micros: 0 } : { whole, micros };
  const base = new Date(carried.whole * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}.${String(carried.micros).padStart(6, '0')}Z`;
}
