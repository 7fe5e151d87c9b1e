// The card flow at the kiosk: insert -> ask for the access data -> read the chip -> the hub
// verifies and opens a citizen session -> greeting; removal ends the session. The chip data goes
// to the hub as read; the typed access data never leaves the agent.
import type { CardAccess, CardState, IdentityChallengeView, IdentitySessionView } from '@tram/contracts';

export interface ChipRead {
  access: 'BAC' | 'PACE';
  dataGroups: Map<number, Uint8Array>;
  sod: Uint8Array;
  activeAuth?: { challenge: Uint8Array; signature: Uint8Array };
}

export interface IdentityFlowDeps {
  /** A call to the hub with the station credential; a network failure answers status 503. */
  hub(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Reads the card now in the reader with this access data; `challenge` is for Active Authentication. */
  readCard(access: CardAccess, challenge: Uint8Array): Promise<ChipRead>;
  /** Whether a read failure means the access data was wrong (so the resident may retype it). */
  isAccessDenied(err: unknown): boolean;
  onState(s: CardState): void;
  onSession(sessionId: string | null): void;
  /** Delay before the next try to end a session at the hub (default: 1 s doubling to 30 s). */
  retryDelayMs?(attempt: number): number;
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

export class IdentityFlow {
  private current: CardState = { state: 'no_reader' };
  private generation = 0; // bumps on every insert/removal, so a slow read of a pulled card is dropped
  private ending?: { cancelled: boolean }; // the hub has not yet confirmed the last session's end

  constructor(private d: IdentityFlowDeps) {}

  state(): CardState {
    return this.current;
  }

  readerPresent(present: boolean, cardIn = false) {
    if (!present) {
      this.cardRemoved();
      this.set({ state: 'no_reader' });
    } else if (this.current.state === 'no_reader') this.set({ state: cardIn ? 'needs_access' : 'absent' });
  }

  cardInserted() {
    this.generation++;
    this.set({ state: 'needs_access' });
  }

  cardRemoved() {
    this.generation++;
    const hadSession = this.current.state === 'verified';
    this.set({ state: 'absent' });
    this.d.onSession(null);
    if (hadSession) void this.endAtHub();
  }

  /**
   * Ends the station's session at the hub, retrying until the hub has answered: a resident's
   * session must not outlive the card because one request was lost. A new card read stops the
   * retries (its session replaces any old one at the hub).
   */
  async endAtHub(): Promise<void> {
    if (this.ending) return;
    const ending = { cancelled: false };
    this.ending = ending;
    for (let attempt = 0; !ending.cancelled; attempt++) {
      const r = await this.d.hub('DELETE', '/api/identity/session', { reason: 'card_removed' }).catch(() => ({ status: 503 }));
      if (r.status < 500) break; // ended, or nothing to end
      const delay = this.d.retryDelayMs?.(attempt) ?? Math.min(30_000, 1000 * 2 ** attempt);
      await new Promise((res) => setTimeout(res, delay).unref());
    }
    if (this.ending === ending) this.ending = undefined;
  }

  /** The hub (re)connected: if no resident is verified here now, any session it holds must end. */
  hubConnected() {
    if (this.current.state !== 'verified' && this.current.state !== 'reading') void this.endAtHub();
  }

  /** Returns false when there is no card waiting for access data. */
  async submitAccess(access: CardAccess): Promise<boolean> {
    const st = this.current.state;
    if (st !== 'needs_access' && !(st === 'refused' && this.current.reason === 'access_denied')) return false;
    const gen = this.generation;
    if (this.ending) this.ending.cancelled = true;
    this.ending = undefined;
    this.set({ state: 'reading' });
    const stale = () => gen !== this.generation;
    try {
      const ch = await this.d.hub('POST', '/api/identity/challenge');
      if (ch.status !== 201) throw new HubError(ch.status);
      const challenge = ch.body as IdentityChallengeView;
      const read = await this.d.readCard(access, Uint8Array.from(Buffer.from(challenge.nonce, 'hex')));
      if (stale()) return true;
      const r = await this.d.hub('POST', '/api/identity', {
        access: read.access,
        sod: b64(read.sod),
        dataGroups: Object.fromEntries(
          [...read.dataGroups].filter(([n]) => [1, 11, 12, 13, 14, 15].includes(n)).map(([n, v]) => [String(n), b64(v)]),
        ),
        ...(read.activeAuth ? { activeAuth: { challengeId: challenge.challengeId, signature: b64(read.activeAuth.signature) } } : {}),
      });
      if (stale()) return true;
      if (r.status === 201) {
        const v = r.body as IdentitySessionView;
        this.set({ state: 'verified', citizen: v.citizen, checks: v.checks });
        this.d.onSession(v.session.id);
      } else if (r.status === 422) {
        this.set({
          state: 'refused',
          reason: 'verification_failed',
          failures: (r.body as { error?: { failures?: string[] } } | null)?.error?.failures ?? [],
        });
      } else throw new HubError(r.status);
    } catch (err) {
      if (stale()) return true;
      if (err instanceof HubError) this.set({ state: 'refused', reason: 'hub_unreachable' });
      else this.set({ state: 'refused', reason: this.d.isAccessDenied(err) ? 'access_denied' : 'read_failed' });
    }
    return true;
  }

  private set(s: CardState) {
    this.current = s;
    this.d.onState(s);
  }
}

class HubError extends Error {
  constructor(readonly status: number) {
    super(`hub answered ${status}`);
  }
}
