// The video part of a consult: the resident's camera and voice, the clinician's own camera.
// adaptiveStream/dynacast are off: one resident, one doctor, full quality both ways (and a
// hidden tab must not pause the resident's video).
import { Show, createEffect, createSignal, on, onCleanup } from 'solid-js';
import { DisconnectReason, Room, RoomEvent, Track, createLocalTracks, type RemoteTrack } from 'livekit-client';
import type { MediaGrantView } from '@tram/contracts';

export function Media(props: { media: MediaGrantView; residentName: string; onLost(): void }) {
  let remote!: HTMLVideoElement, local!: HTMLVideoElement, audio!: HTMLAudioElement;
  const [error, setError] = createSignal('');
  const [remoteUp, setRemoteUp] = createSignal(false);
  let room: Room | undefined;

  const join = async (grant: MediaGrantView) => {
    await room?.disconnect();
    const r = (room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } }));
    r.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === Track.Kind.Video) { track.attach(remote); setRemoteUp(true); }
      else if (track.kind === Track.Kind.Audio) track.attach(audio);
    });
    r.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => { track.detach(); if (track.kind === Track.Kind.Video) setRemoteUp(false); });
    r.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      // a disconnect we asked for is not a loss; the hub deleting the room ends the consult anyway
      if (room === r && reason !== DisconnectReason.CLIENT_INITIATED && reason !== DisconnectReason.ROOM_DELETED) props.onLost();
    });
    try {
      setError('');
      // open the camera and microphone while the room connects: the resident sees the doctor sooner
      const tracks = createLocalTracks({ audio: true, video: true });
      tracks.catch(() => {}); // reported below, after connect
      await r.connect(grant.url, grant.token);
      if (room !== r) { for (const t of await tracks) t.stop(); return; }
      for (const t of await tracks) {
        await r.localParticipant.publishTrack(t);
        if (t.kind === Track.Kind.Video) t.attach(local);
      }
    } catch (e) {
      setError(`Không kết nối được hình/tiếng / Media failed: ${(e as Error).message}`);
    }
  };
  // a renewed grant (rejoin) reconnects
  createEffect(on(() => props.media.token, () => void join(props.media)));
  onCleanup(() => { const r = room; room = undefined; void r?.disconnect(); });

  return (
    <div class="media">
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <div class="videos">
        <div class="remote">
          <video ref={remote} autoplay playsinline data-testid="remote-video" aria-label={`Người dân / Resident: ${props.residentName}`} />
          <Show when={!remoteUp()}><span class="waiting-video">Đang chờ hình của người dân… / Waiting for the resident's video…</span></Show>
        </div>
        <video ref={local} class="local" autoplay playsinline muted data-testid="local-video" aria-label="Tôi / Me" />
      </div>
      <audio ref={audio} autoplay />
    </div>
  );
}
