// Triage arithmetic for the waiting room: urgency, the wait estimate, the patient's age.

/**
 * Minutes until a resident at `position` (1 = next) is seen: the people ahead shared among the
 * clinicians available now, at the average length of recent consults (15 min until there is
 * history, never under 5). Null when not waiting or nobody is available.
 */
export function estimateWait(position: number | null, available: number, avgMin: number | null): number | null {
  if (position === null || available === 0) return null;
  const per = Math.max(5, Math.round(avgMin ?? 15));
  return Math.ceil(((position - 1) / available) * per) + 1;
}

/** Age in whole years from a dd/mm/yyyy date of birth (as printed on the card). */
export function ageOf(dob: string | null, now = new Date()): number | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(dob ?? '');
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age--;
  return age;
}

const URGENT_REASONS = new Set(['chest_pain', 'breathing']);
const URGENT_FLAGS = new Set(['hypertensive_crisis', 'low_spo2']);

/** 2 = urgent (an alarming reason or an urgent vital flag), 1 = some flag, 0 = routine. */
export function urgencyOf(reason: string, flags: string[]): number {
  return URGENT_REASONS.has(reason) || flags.some((f) => URGENT_FLAGS.has(f)) ? 2 : flags.length ? 1 : 0;
}
