// A call's timeline in plain words (not "rang · hub"): one sentence per event.
import type { TimelineEntry } from '@tram/contracts';
import { t, type Key } from './i18n.ts';

const who = (identity: unknown) => {
  const s = String(identity ?? '');
  return s.startsWith('staff:') ? s.slice('staff:'.length) : s.startsWith('station:') ? t('stationWord') : s;
};

export function describe(e: TimelineEntry): string {
  const d = e.detail as Record<string, unknown>;
  const officers = Array.isArray(d.officers) ? d.officers.length : 0;
  switch (e.kind) {
    case 'raised':
      return t('e_raised');
    case 'rang':
      return d.scope === 'ward' ? t('e_rang_ward', { n: officers }) : t('e_rang_neighbours', { n: officers });
    case 'escalated':
      return t('e_escalated', { n: String(d.fallbackShown ?? '113') });
    case 'answered':
      return t('e_answered', { name: String(d.name ?? d.officer ?? '') });
    case 'ended': {
      const key = `r_${String(d.reason)}` as Key;
      const reason = t(key);
      return t('e_ended', { reason: reason === key ? String(d.reason) : reason });
    }
    case 'media_joined':
      return String(d.identity ?? '').startsWith('station:')
        ? t('e_media_joined_station')
        : t('e_media_joined_staff', { who: who(d.identity) });
    case 'media_left':
      return t('e_media_left', { who: who(d.identity) });
    case 'media_room_closed':
      return t('e_media_room_closed');
    case 'media_room_failed':
      return t('e_media_room_failed');
    case 'media_lost':
      return t('e_media_lost');
    case 'media_rejoined':
      return t('e_media_rejoined', { who: who(e.actor) });
    case 'callback':
      return t('e_callback');
    default:
      return t('e_other', { kind: e.kind });
  }
}

/** "12 giây" / "1 phút 5 giây" since an instant. */
export function elapsed(sinceIso: string, now: number): { s: number; text: string } {
  const s = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  return { s, text: s < 60 ? t('secondsAgo', { s }) : t('minutesAgo', { m: Math.floor(s / 60), s: s % 60 }) };
}
