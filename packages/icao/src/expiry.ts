// Document expiry from the chip's own data: the MRZ (DG1, YYMMDD) and the CCCD's DG13 field 12
// (dd/mm/yyyy, or words such as "Không thời hạn" on cards that never expire). A card is expired
// once the day after its expiry date has begun in Vietnam (UTC+7), the day the card is read.
export type ExpiryCheck = { expired: false; expiry?: string } | { expired: true; expiry: string; source: 'dg1' | 'dg13' };

/** ISO date (yyyy-mm-dd) of `now` in Vietnam. */
export function vietnamDate(now: Date): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** MRZ YYMMDD expiry as an ISO date; expiry years are always in this century (cards are ≤ 25 years). */
export function mrzExpiryIso(yymmdd: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return undefined;
  return validIso(`20${m[1]}-${m[2]}-${m[3]}`);
}

/** DG13 dd/mm/yyyy as an ISO date; anything else (no expiry) is undefined. */
export function dg13ExpiryIso(ddmmyyyy: string | undefined): string | undefined {
  const m = ddmmyyyy ? /^\s*(\d{2})\/(\d{2})\/(\d{4})\s*$/.exec(ddmmyyyy) : null;
  if (!m) return undefined;
  return validIso(`${m[3]}-${m[2]}-${m[1]}`);
}

function validIso(iso: string): string | undefined {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

export function checkExpiry(dg1Expiry: string, dg13Expiry: string | undefined, now: Date = new Date()): ExpiryCheck {
  const today = vietnamDate(now);
  const mrz = mrzExpiryIso(dg1Expiry);
  const dg13 = dg13ExpiryIso(dg13Expiry);
  if (mrz && mrz < today) return { expired: true, expiry: mrz, source: 'dg1' };
  if (dg13 && dg13 < today) return { expired: true, expiry: dg13, source: 'dg13' };
  const expiry = dg13 ?? mrz;
  return expiry ? { expired: false, expiry } : { expired: false };
}
