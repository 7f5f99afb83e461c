/**
 * PHP's DATE_ATOM ("Y-m-d\TH:i:sP") as Akeneo's catalog endpoints read `updated_after` and `updated_before`
 * (`DateTime::createFromFormat`, then Symfony's DateTime constraint): month, day and hour may drop their leading
 * zero, the date must exist, and the offset is required: `Z`, `+02`, `+0200` or `+02:00`. An unencoded `+` reaches
 * the PIM as a space, which is no offset.
 */
const ATOM_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{2}):(\d{2})(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return (DAYS_IN_MONTH[month - 1] ?? 0) + (month === 2 && leap ? 1 : 0);
}

/** Epoch seconds of a DATE_ATOM date, or undefined when Akeneo would answer "ISO 8601 format is required.". */
export function parseAtomDate(value: string): number | undefined {
  const match = ATOM_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map((group) =>
    Number(match[group] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetSeconds = (match[8] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime() / 1000 - offsetSeconds;
}
