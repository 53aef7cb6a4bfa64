// Dates as people read them in lists: day and minute, no seconds (the full timestamp stays in <time dateTime>).

const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** `iso` unchanged when it is not a date. `locale`/`timeZone`: the browser's by default (tests pin them). */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, timeZone ? { ...DATE_TIME, timeZone } : DATE_TIME);
}
