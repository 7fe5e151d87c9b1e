// The media watch (issue 16). A LiveKit node that dies sends no webhook, so an answered call whose
// room it held would stay "answered" with no media and nothing in its timeline. Every MEDIA_WATCH_S
// each hub asks LiveKit about the rooms of answered calls (media.roomStates); a room seen gone twice
// in a row — a second look a moment after the first, or on a later tick — is flagged: one
// conditional UPDATE (so of several hubs exactly one flags a call), a `media_lost` timeline entry
// and `call.media_lost` to the call's audience, whose officer is told "media lost — call back"
// (POST /api/calls/:id/media makes the room anew on a live node, service.ts rejoinCall).
// LiveKit not answering at all is an outage, not a fact about one call: nothing is counted then.
// A room brought back on a live node by a reconnecting participant before the second look is
// caught by its second room_started webhook instead (media-events.ts).
import type { HubDeps } from '../deps.ts';
import type { RoomState } from '../livekit/media.ts';
import { startTicker, type Ticker } from '../jobs/ticker.ts';
import { topicsFor } from './audience.ts';
import { callById, callsToWatch, insertCallEvent, markMediaLost, toView } from './store.ts';

/** Looks in a row that must find a room gone before its call is flagged. */
export const LOOKS_TO_FLAG = 2;
/** The second look comes this long after a first "gone" (a blip shorter than the two looks does not flag). */
const CONFIRM_MS = 1000;
/** Rooms looked at per tick. */
const BATCH = 200;

/** What the watch concludes from one look at a room (`lost`: with what each "gone" look saw). */
export type Verdict = { is: 'fine' } | { is: 'suspect' } | { is: 'lost'; seen: string[] };

/**
 * Each hub's count of consecutive "gone" looks per room (pure; the hubs need not agree: the first
 * to reach the count flags the call, the others' UPDATE finds it flagged).
 */
export class Strikes {
  private readonly gone = new Map<string, string[]>();

  /** One look: `lost` on the LOOKS_TO_FLAG-th "gone" in a row (the count then starts again); `live` clears; `unknown` changes nothing. */
  see(room: string, s: RoomState): Verdict {
    if (s.state === 'live') {
      this.gone.delete(room);
      return { is: 'fine' };
    }
    const seen = this.gone.get(room) ?? [];
    if (s.state === 'unknown') return { is: seen.length ? 'suspect' : 'fine' };
    seen.push(s.seen);
    if (seen.length < LOOKS_TO_FLAG) {
      this.gone.set(room, seen);
      return { is: 'suspect' };
    }
    this.gone.delete(room);
    return { is: 'lost', seen };
  }

  /** Forgets the rooms no longer watched (their call ended or was flagged). */
  keepOnly(rooms: Iterable<string>): void {
    const keep = new Set(rooms);
    for (const r of this.gone.keys()) if (!keep.has(r)) this.gone.delete(r);
  }
}

/**
 * Flags an answered call's media as lost: the timeline entry and the realtime event in one
 * transaction with the flag. False when it was flagged already (by another hub, or the webhook).
 */
export async function flagMediaLost(
  d: HubDeps,
  callId: string,
  via: 'watch' | 'room_restarted',
  detail: { room: string; seen: string[] },
): Promise<boolean> {
  const flagged = await d.sql.begin(async (tx) => {
    if (!(await markMediaLost(tx, callId))) return false;
    const call = (await callById(tx, callId))!;
    await insertCallEvent(tx, callId, 'media_lost', 'hub', { ...detail, via });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.media_lost', data: { call: toView(call) } });
    return true;
  });
  if (flagged) {
    d.metrics.mediaLost.inc({ via });
    d.log.warn({ call: callId, ...detail, via }, 'media lost: the LiveKit node holding the room died');
  }
  return flagged;
}

/** One tick: looks at every watched room, a second time at once at those just found gone; returns how many calls it flagged. */
export async function watchMedia(d: HubDeps, strikes: Strikes, confirmMs = CONFIRM_MS): Promise<number> {
  const calls = await callsToWatch(d.sql, d.config.mediaWatchS, BATCH);
  strikes.keepOnly(calls.map((c) => c.room_name));
  const lost: { id: string; room: string; seen: string[] }[] = [];
  let looking = calls;
  for (let look = 0; look < LOOKS_TO_FLAG && looking.length > 0; look++) {
    if (look > 0) await new Promise((r) => setTimeout(r, confirmMs));
    const states = await d.media.roomStates(looking.map((c) => c.room_name));
    const again: typeof calls = [];
    looking.forEach((c, i) => {
      const v = strikes.see(c.room_name, states[i]!);
      if (v.is === 'lost') lost.push({ id: c.id, room: c.room_name, seen: v.seen });
      else if (v.is === 'suspect' && states[i]!.state === 'gone') again.push(c);
    });
    looking = again;
  }
  let flagged = 0;
  for (const l of lost) if (await flagMediaLost(d, l.id, 'watch', { room: l.room, seen: l.seen })) flagged++;
  return flagged;
}

export function startMediaWatch(d: HubDeps): Ticker {
  const strikes = new Strikes();
  return startTicker({
    everyMs: d.config.mediaWatchS * 1000,
    log: d.log,
    failure: 'media watch tick failed',
    // one look per tick: this is a watch, not a queue to drain
    maxPerTick: 1,
    step: () => watchMedia(d, strikes),
  });
}
