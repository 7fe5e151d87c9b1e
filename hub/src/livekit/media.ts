// The only place that talks to LiveKit: rooms, least-privilege access tokens, webhook verification.
import { AccessToken, RoomServiceClient, TrackSource, WebhookReceiver } from 'livekit-server-sdk';

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

export interface Media {
  /** Creates the room if it does not exist; safe to call again. */
  ensureRoom(room: string, opts?: { maxParticipants?: number }): Promise<void>;
  deleteRoom(room: string): Promise<void>;
  /** A token to join one room and publish camera and microphone only; no data, no admin. */
  joinToken(room: string, identity: string, name: string): Promise<MediaGrant>;
  /** Verifies the signature (JWT in Authorization, sha256 of the raw body) and returns the event. */
  verifyWebhook(rawBody: string, authorization: string | undefined): Promise<WebhookEvent>;
  health(): Promise<boolean>;
}

export function createMedia(c: MediaConfig): Media {
  const rooms = new RoomServiceClient(c.apiUrl, c.apiKey, c.apiSecret);
  const receiver = new WebhookReceiver(c.apiKey, c.apiSecret);
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
  };
}
