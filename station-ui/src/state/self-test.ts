// The kiosk page's part of a station self-test: join the test room with the grant the agent
// passed on, publish the microphone and the camera, confirm the hub's test tone and picture arrive, and
// report to the agent. livekit-client is loaded only when a test runs.
import type { MediaGrantView, SelfTestKioskReport } from '@tram/contracts';
import { agent } from '../clients/agent.ts';

const WAIT_MS = 20_000;
let running: string | null = null;

export async function runSelfTest(d: { runId: string; media: MediaGrantView }): Promise<void> {
  if (running === d.runId) return;
  running = d.runId;
  try {
    await run(d);
  } finally {
    running = null;
  }
}

async function run({ runId, media }: { runId: string; media: MediaGrantView }) {
  const { Room, RoomEvent, Track } = await import('livekit-client');
  const room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
  const report: SelfTestKioskReport = { runId, camera: 'unknown', microphone: 'unknown', receivedAudio: false };
  // The tone and the picture count as received when their RTP packets arrive (nothing is shown
  // or played in the lobby).
  const arrives = (kind: 'audio' | 'video') =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), WAIT_MS);
      room.on(RoomEvent.TrackSubscribed, (track) => {
        if (track.kind !== (kind === 'audio' ? Track.Kind.Audio : Track.Kind.Video)) return;
        const until = Date.now() + WAIT_MS;
        const poll = async () => {
          let packets = 0;
          (await track.receiver?.getStats())?.forEach((s: { type: string; packetsReceived?: number }) => {
            if (s.type === 'inbound-rtp') packets += s.packetsReceived ?? 0;
          });
          if (packets > 0) {
            clearTimeout(timer);
            resolve(true);
          } else if (Date.now() < until) setTimeout(() => void poll(), 250);
        };
        void poll();
      });
    });
  const heard = arrives('audio');
  const seen = arrives('video');
  try {
    await room.connect(media.url, media.token);
  } catch {
    await agent.selfTest({ ...report, reason: 'kiosk không vào được phòng thử / the kiosk could not join the test room' });
    return;
  }
  try {
    await room.localParticipant.setMicrophoneEnabled(true);
    report.microphone = 'available';
  } catch {
    report.microphone = 'missing';
  }
  try {
    await room.localParticipant.setCameraEnabled(true);
    report.camera = 'available';
  } catch {
    report.camera = 'missing';
  }
  [report.receivedAudio, report.receivedVideo] = await Promise.all([heard, seen]);
  if (!report.receivedAudio) report.reason = 'kiosk không nhận được âm thử từ hub / the kiosk did not receive the hub test tone';
  else if (!report.receivedVideo) report.reason = 'kiosk không nhận được hình thử từ hub / the kiosk did not receive the hub test picture';
  await agent.selfTest(report).catch(() => null);
  // stay in the room while the hub still checks this kiosk's media; the hub closes the room at the end
  await new Promise<void>((r) => {
    room.once(RoomEvent.Disconnected, () => r());
    setTimeout(r, 60_000);
  });
  await room.disconnect();
}
