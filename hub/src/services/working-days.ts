// Promised dates of public services count working days, as offices do: Saturdays, Sundays and
// Vietnam's public holidays (holidays-vn.ts) are skipped, in Vietnam's calendar (UTC+7, no DST).
// The result is the end of office hours (17:00) on the last working day.
import { SOLAR_HOLIDAYS, YEARLY_DAYS_OFF } from './holidays-vn.ts';

const VN_OFFSET_MS = 7 * 3600_000;

/** YYYY-MM-DD of a calendar day (a Date at UTC midnight standing for the Vietnamese day). */
const iso = (d: Date) => d.toISOString().slice(0, 10);

function solarHoliday(d: Date): boolean {
  return (SOLAR_HOLIDAYS as readonly string[]).includes(iso(d).slice(8, 10) + '-' + iso(d).slice(5, 7));
}

/** Whether offices are closed on this Vietnamese calendar day. */
export function isDayOff(day: Date): boolean {
  const dow = day.getUTCDay();
  if (dow === 0 || dow === 6) return true;
  if (solarHoliday(day)) return true;
  if (YEARLY_DAYS_OFF[day.getUTCFullYear()]?.includes(iso(day))) return true;
  // a fixed holiday on Saturday or Sunday is taken on the following Monday (Điều 111)
  if (dow === 1) {
    const sat = new Date(day.getTime() - 2 * 86_400_000);
    const sun = new Date(day.getTime() - 86_400_000);
    if (solarHoliday(sat) || solarHoliday(sun)) return true;
  }
  return false;
}

/** The moment a service submitted at `from` is promised by: `days` working days later, 17:00 in Vietnam. */
export function addWorkingDays(from: Date, days: number): Date {
  const local = new Date(from.getTime() + VN_OFFSET_MS);
  let day = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
  let left = days;
  while (left > 0) {
    day = new Date(day.getTime() + 86_400_000);
    if (!isDayOff(day)) left--;
  }
  return new Date(day.getTime() + 17 * 3600_000 - VN_OFFSET_MS);
}
