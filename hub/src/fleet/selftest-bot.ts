// The self-test's automatic participant: the hub joins the test room as a LiveKit participant
// (@livekit/rtc-node), counts the audio and video frames it receives from the kiosk, and publishes
// a 440 Hz tone and a small moving test picture back for the kiosk page to confirm.
// The native WebRTC library is loaded only when a self-test runs (most hub instances never run
// one), and released when the hub stops: its event callback would otherwise keep the process alive.
import type { AudioSource, RemoteParticipant, RemoteTrack, VideoSource } from '@livekit/rtc-node';
import type { MediaGrant } from '../livekit/media.ts';

type Rtc = typeof import('@livekit/rtc-node');
let rtc: Promise<Rtc> | undefined;
let inUse = 0;

/** Releases the native library if it was loaded and no test participant is in a room. */
export async function releaseTestParticipants(): Promise<void> {
  if (!rtc || inUse > 0) return;
  const lib = await rtc;
  rtc = undefined;
  await lib.dispose();
  // the SDK keeps its client on globalThis; a later self-test in this process starts a new one
  delete (globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance;
}

const RATE = 48_000;
const FRAME_MS = 10;
/** The test picture: small (it is a check, not a view), 10 frames a second. */
const W = 160;
const H = 120;
const VIDEO_MS = 100;

export interface TestParticipant {
  /** Resolves with the number of frames received once `frames` arrived from `from`, or rejects with a plain reason. */
  receive(kind: 'audio' | 'video', from: string, frames: number, timeoutMs: number, giveUp?: () => Promise<string | null>): Promise<number>;
  /** Starts sending the tone and the test picture (until `leave`). */
  publishTone(): Promise<void>;
  leave(): Promise<void>;
}

export async function joinAsTestParticipant(grant: MediaGrant): Promise<TestParticipant> {
  rtc ??= import('@livekit/rtc-node');
  const {
    AudioFrame,
    AudioSource,
    AudioStream,
    LocalAudioTrack,
    LocalVideoTrack,
    Room,
    RoomEvent,
    TrackKind,
    TrackPublishOptions,
    TrackSource,
    VideoBufferType,
    VideoFrame,
    VideoSource,
    VideoStream,
  } = await rtc;
  inUse++;
  let left = false;
  const room = new Room();
  const tracks = new Map<string, RemoteTrack>();
  const arrived = new Set<() => void>();
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub: unknown, p: RemoteParticipant) => {
    tracks.set(`${p.identity}/${track.kind === TrackKind.KIND_VIDEO ? 'video' : 'audio'}`, track);
    for (const f of arrived) f();
  });
  try {
    await room.connect(grant.url, grant.token, { autoSubscribe: true, dynacast: false });
  } catch (e) {
    inUse--;
    throw e;
  }
  let toneTimer: NodeJS.Timeout | undefined;
  let videoTimer: NodeJS.Timeout | undefined;
  let source: AudioSource | undefined;
  let picture: VideoSource | undefined;

  const waitTrack = (key: string, until: number, giveUp?: () => Promise<string | null>) =>
    new Promise<RemoteTrack>((resolve, reject) => {
      const poll = setInterval(async () => {
        const why = await giveUp?.().catch(() => null);
        if (why) done(new Error(why));
        else if (Date.now() > until) done(new Error('timeout'));
      }, 250);
      const check = () => {
        const t = tracks.get(key);
        if (t) done(t);
      };
      const done = (r: RemoteTrack | Error) => {
        clearInterval(poll);
        arrived.delete(check);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      arrived.add(check);
      check();
    });

  return {
    async receive(kind, from, frames, timeoutMs, giveUp) {
      const until = Date.now() + timeoutMs;
      let track: RemoteTrack;
      try {
        track = await waitTrack(`${from}/${kind}`, until, giveUp);
      } catch (e) {
        const why = (e as Error).message;
        throw new Error(why === 'timeout' ? `không nhận được track ${kind} / no ${kind} track from the kiosk` : why);
      }
      const stream = kind === 'audio' ? new AudioStream(track, RATE, 1) : new VideoStream(track);
      const reader = stream.getReader();
      let n = 0;
      try {
        while (n < frames) {
          const left = until - Date.now();
          if (left <= 0) break;
          const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
          if (!next || next.done) break;
          n++;
        }
      } finally {
        void reader.cancel().catch(() => {});
      }
      if (n < frames) throw new Error(`chỉ nhận ${n}/${frames} khung ${kind} / only ${n} of ${frames} ${kind} frames received`);
      return n;
    },
    async publishTone() {
      source = new AudioSource(RATE, 1);
      const track = LocalAudioTrack.createAudioTrack('selftest-tone', source);
      await room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
      const samples = (RATE * FRAME_MS) / 1000;
      let phase = 0;
      const s = source;
      toneTimer = setInterval(() => {
        const data = new Int16Array(samples);
        for (let i = 0; i < samples; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (phase + i)) / RATE));
        phase += samples;
        void s.captureFrame(new AudioFrame(data, RATE, 1, samples)).catch(() => {});
      }, FRAME_MS);
      picture = new VideoSource(W, H);
      const video = LocalVideoTrack.createVideoTrack('selftest-picture', picture);
      await room.localParticipant!.publishTrack(video, new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }));
      const p = picture;
      let n = 0;
      videoTimer = setInterval(() => {
        // a grey level that changes every frame, so every frame is new to the encoder
        const data = new Uint8Array(W * H * 4).fill((n++ * 8) % 256);
        p.captureFrame(new VideoFrame(data, W, H, VideoBufferType.RGBA));
      }, VIDEO_MS);
    },
    async leave() {
      if (left) return;
      left = true;
      clearInterval(toneTimer);
      clearInterval(videoTimer);
      try {
        await source?.close().catch(() => {});
        await picture?.close().catch(() => {});
        await room.disconnect();
      } finally {
        inUse--;
      }
    },
  };
}
