// Calendar validity of FHIR date/dateTime values: the R4 regexes accept 2026-02-30, and JavaScript
// dates roll such a value over silently (to 2 March), so both search and validation check here.

/** Whether y-m-d is a day that exists. */
export function realDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const PARTS = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))?)?)?)?$/;

/** Whether a FHIR date, dateTime or instant names a real moment (month, day, hour, minute, second, zone in range). */
export function realDateTime(v: string): boolean {
  const m = PARTS.exec(v);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , zh, zm] = m;
  if (mo && (+mo < 1 || +mo > 12)) return false;
  if (d && !realDay(+y!, +mo!, +d)) return false;
  if (h && (+h > 23 || +mi! > 59)) return false;
  if (s && +s > 59) return false;
  if (zh && (+zh > 14 || +zm! > 59)) return false;
  return true;
}
