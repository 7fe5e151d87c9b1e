// The officer's side of an emergency call: the resident's video and voice, own camera, hang up.
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';
import type { CallView, MediaGrantView } from '@tram/contracts';

export default function CallScreen(props: { call: CallView; media: MediaGrantView; onHangup: () => void }) {
  let remote!: HTMLVideoElement, local!: HTMLVideoElement, audio!: HTMLAudioElement;
  const [error, setError] = createSignal('');
  const room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
  onMount(async () => {
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === Track.Kind.Video) track.attach(remote);
      else if (track.kind === Track.Kind.Audio) track.attach(audio);
    });
    try {
      await room.connect(props.media.url, props.media.token);
      await room.localParticipant.enableCameraAndMicrophone();
      room.localParticipant.getTrackPublication(Track.Source.Camera)?.videoTrack?.attach(local);
    } catch (e) {
      setError(`Không kết nối được hình/tiếng / Media failed: ${(e as Error).message}`);
    }
  });
  onCleanup(() => { void room.disconnect(); });
  return (
    <section aria-label="Cuộc gọi / Call">
      <h2>Đang gọi với / In call with: {props.call.station.name}</h2>
      <p>{props.call.station.address}</p>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <div class="videos">
        <video ref={remote} autoplay playsinline data-testid="remote-video" aria-label="Người dân / Resident" />
        <video ref={local} autoplay playsinline muted aria-label="Tôi / Me" />
      </div>
      <audio ref={audio} autoplay />
      <button class="hangup" onClick={props.onHangup}>Kết thúc / Hang up</button>
    </section>
  );
}
