// The only place that talks to LiveKit: rooms, least-privilege access tokens, webhook verification,
// and whether a room is still served.
import {
  AccessToken,
  type Room,
  RoomServiceClient,
  ServerError,
  TrackSource,
  type WebhookEventNames,
  WebhookReceiver,
} from 'livekit-server-sdk';

export interface MediaConfig {
  apiUrl: string;
  publicUrl: string;
  apiKey: string;
  apiSecret: string;
  tokenTtlS: number;
}

export interface MediaGrant {
  url: string;
  token: string;
  room: string;
  identity: string;
}

export interface WebhookEvent {
  event: string;
  room?: string;
  participant?: string;
  id: string;
  createdAt: number;
}

/**
 * The webhook events a domain acts on, each with what keeps a second delivery of it (LiveKit retries
 * until answered 2xx, and two hubs can get one) from acting twice: `locked`, applied under the
 * delivery lock and recorded as delivered; `repeatable`, its effect is a conditional update a second
 * delivery cannot repeat, so it takes neither (a burst of new rooms then costs a read each, no lock).
 */
export type ActsOn = Readonly<Partial<Record<WebhookEventNames, 'locked' | 'repeatable'>>>;

/** Whether `event` is one of `acts`; narrows it so a switch over it must handle each and no other. */
export const actsOn = <T extends ActsOn>(acts: T, event: string): event is Extract<keyof T, string> => Object.hasOwn(acts, event);

/** The default of such a switch: a compile error when an event in the list has no case. */
export function unhandled(event: never): never {
  throw new Error(`webhook event ${String(event)} is listed but not handled`);
}

/**
 * Whether LiveKit still serves a room: `live`; `gone` when the cluster no longer has it or the node
 * holding it does not answer while the service itself does; `unknown` when the service does not
 * answer at all (an outage of LiveKit, not a fact about one room). `seen` says what was observed.
 */
export type RoomState = { state: 'live' } | { state: 'gone' | 'unknown'; seen: string };

export interface Media {
  /** Creates the room if it does not exist; safe to call again. */
  ensureRoom(room: string, opts?: { maxParticipants?: number }): Promise<void>;
  deleteRoom(room: string): Promise<void>;
  /** A token to join one room and publish camera and microphone only; no data, no admin. */
  joinToken(room: string, identity: string, name: string): Promise<MediaGrant>;
  /** Verifies the signature (JWT in Authorization, sha256 of the raw body) and returns the event. */
  verifyWebhook(rawBody: string, authorization: string | undefined): Promise<WebhookEvent>;
  health(): Promise<boolean>;
  /** The state of each room, in order (one tick of the media watch). */
  roomStates(rooms: string[]): Promise<RoomState[]>;
}

/** What LiveKit said, for the timeline: `503 unavailable: …` or the transport's error. */
const said = (err: unknown) =>
  err instanceof ServerError
    ? `${err.status} ${err.code ?? ''}: ${err.message}`.slice(0, 300)
    : String((err as Error)?.message ?? err).slice(0, 300);

export function createMedia(c: MediaConfig): Media {
  const rooms = new RoomServiceClient(c.apiUrl, c.apiKey, c.apiSecret);
  // the media watch asks every few seconds: a LiveKit API that hangs must not hold its tick for long
  const probe = new RoomServiceClient(c.apiUrl, c.apiKey, c.apiSecret, { requestTimeout: 10 });
  const receiver = new WebhookReceiver(c.apiKey, c.apiSecret);
  async function probeRoom(room: string, found: Room | undefined): Promise<RoomState> {
    if (!found) return { state: 'gone', seen: 'the LiveKit cluster has no such room' };
    try {
      await probe.updateRoomMetadata(room, found.metadata);
      return { state: 'live' };
    } catch (err) {
      // the service answered listRooms a moment ago: a refusal now is the room's node
      if (err instanceof ServerError && (err.status === 503 || err.status === 404))
        return { state: 'gone', seen: `the node holding the room did not answer: ${said(err)}` };
      return { state: 'unknown', seen: `updateRoomMetadata: ${said(err)}` };
    }
  }
  return {
    async ensureRoom(room, opts) {
      // emptyTimeout: a room nobody joins closes after 10 min; departureTimeout: 30 s after the last leaves.
      await rooms.createRoom({ name: room, emptyTimeout: 600, departureTimeout: 30, maxParticipants: opts?.maxParticipants ?? 4 });
    },
    async deleteRoom(room) {
      try {
        await rooms.deleteRoom(room);
      } catch (err) {
        if (!/not.?found|does not exist/i.test(String((err as Error)?.message))) throw err;
      }
    },
    async joinToken(room, identity, name) {
      const at = new AccessToken(c.apiKey, c.apiSecret, { identity, name, ttl: c.tokenTtlS });
      at.addGrant({
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
        canUpdateOwnMetadata: false,
      });
      return { url: c.publicUrl, token: await at.toJwt(), room, identity };
    },
    async verifyWebhook(rawBody, authorization) {
      if (!authorization) throw new Error('missing Authorization');
      const e = await receiver.receive(rawBody, authorization);
      return { event: e.event, room: e.room?.name, participant: e.participant?.identity, id: e.id, createdAt: Number(e.createdAt) };
    },
    async health() {
      try {
        await rooms.listRooms(['tram-health-probe']);
        return true;
      } catch {
        return false;
      }
    },
    // Found by experiment on livekit-server 1.13 (two nodes on Redis, the room's node stopped with
    // SIGTERM and with kill -9): the survivor keeps answering listRooms and listParticipants from
    // Redis as if nothing happened (the dead node's participants and all). Only a request routed
    // to the node holding the room tells: updateRoomMetadata fails after 3 s with 503 `unavailable`
    // ("no response from servers"). About 10 s later a participant reconnecting through a live
    // node starts the room again there (a second room_started webhook, same sid; see
    // calls/media-events.ts). A node that itself does not answer (connection refused) is `unknown`.
    // The probe writes the room's own metadata back (we set none): nothing changes but the
    // participants get a room update.
    // One listRooms for all the rooms of a tick (it answers from Redis, whichever node holds a
    // room), then the metadata write per room found, 8 at a time. A look per room cost the hub
    // 1.25 ms of CPU (two signed requests) in `npm run bench -- media-watch`.
    async roomStates(names) {
      // an empty list means "every room" to LiveKit
      if (names.length === 0) return [];
      let found: Map<string, Room>;
      try {
        found = new Map((await probe.listRooms(names)).map((r) => [r.name, r]));
      } catch (err) {
        const unknown: RoomState = { state: 'unknown', seen: `listRooms: ${said(err)}` };
        return names.map(() => unknown);
      }
      const out: RoomState[] = new Array(names.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < names.length; i = next++) out[i] = await probeRoom(names[i]!, found.get(names[i]!));
      };
      await Promise.all(Array.from({ length: Math.min(8, names.length) }, worker));
      return out;
    },
  };
}
