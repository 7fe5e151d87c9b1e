// A call participant without a browser: @livekit/rtc-node (libwebrtc through LiveKit's FFI)
// joins a room and publishes a microphone (a 440 Hz tone, 48 kHz mono, 10 ms frames) and a
// low-resolution camera (I420 frames with a moving bar), as a kiosk or an officer would. Used by
// the media benchmark; inbound RTP statistics say what the other side's media cost in loss.
import {
  AudioFrame,
  dispose,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';

export interface Bot {
  /** Inbound RTP totals over every subscribed track: packets received and lost. */
  inbound(): Promise<{ received: number; lost: number; framesDecoded: number }>;
  /** Ports of the server's ICE candidates: the RTC ports of the LiveKit node the media goes to (the room's node). */
  mediaPorts(): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startBot(o: { url: string; token: string; width?: number; height?: number; fps?: number }): Promise<Bot> {
  const width = o.width ?? 320,
    height = o.height ?? 240,
    fps = o.fps ?? 15;
  const room = new Room();
  await room.connect(o.url, o.token, { autoSubscribe: true, dynacast: false });
  const local = room.localParticipant!;

  const audio = new AudioSource(48_000, 1);
  const video = new VideoSource(width, height);
  await local.publishTrack(
    LocalAudioTrack.createAudioTrack('microphone', audio),
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  await local.publishTrack(
    LocalVideoTrack.createVideoTrack('camera', video),
    new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA, simulcast: false }),
  );

  let stopped = false;
  // audio: 10 ms of a tone per frame; captureFrame paces itself on the source's queue
  const samples = new Int16Array(480);
  let phase = 0;
  const audioLoop = (async () => {
    while (!stopped) {
      for (let i = 0; i < samples.length; i++) samples[i] = Math.round(Math.sin((phase++ * 2 * Math.PI * 440) / 48_000) * 8000);
      await audio.captureFrame(new AudioFrame(samples, 48_000, 1, samples.length)).catch(() => {});
    }
  })();
  // video: a grey frame with a moving bright bar, so the encoder has something to send
  const ySize = width * height;
  const frame = new Uint8Array(ySize * 1.5).fill(128);
  let n = 0;
  const videoTimer = setInterval(() => {
    const bar = (n++ * 8) % width;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) frame[y * width + x] = Math.abs(x - bar) < 12 ? 235 : 64 + ((x + y + n) & 63);
    video.captureFrame(new VideoFrame(frame, width, height, VideoBufferType.I420));
  }, 1000 / fps);

  return {
    async inbound() {
      const stats = await room.getRtcStats();
      let received = 0,
        lost = 0,
        framesDecoded = 0;
      // this libwebrtc build may carry both directions on one peer connection: look at both lists
      for (const s of [...stats.publisherStats, ...stats.subscriberStats]) {
        if (s.stats.case !== 'inboundRtp') continue;
        received += Number(s.stats.value.received?.packetsReceived ?? 0);
        lost += Math.max(0, Number(s.stats.value.received?.packetsLost ?? 0));
        framesDecoded += s.stats.value.inbound?.framesDecoded ?? 0;
      }
      return { received, lost, framesDecoded };
    },
    async mediaPorts() {
      const stats = await room.getRtcStats();
      const ports = new Set<number>();
      for (const s of [...stats.publisherStats, ...stats.subscriberStats])
        if (s.stats.case === 'remoteCandidate' && s.stats.value.candidate?.port) ports.add(s.stats.value.candidate.port);
      return [...ports];
    },
    async stop() {
      stopped = true;
      clearInterval(videoTimer);
      // a room whose node died may never answer the disconnect
      await Promise.race([room.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
      await audioLoop;
      await audio.close().catch(() => {});
      await video.close().catch(() => {});
    },
  };
}

/** Shuts LiveKit's native client down; without it the process stays alive after the last bot. */
export const disposeBots = () => dispose();
