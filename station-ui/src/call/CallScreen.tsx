// A video call, full screen: the other side's video and voice, who they are, the kiosk's own camera
// and one big "end call". Used by the emergency call and the doctor consult; loaded lazily, so
// livekit-client is fetched only when a call starts.
import { Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';
import type { MediaGrantView } from '@tram/contracts';
import { t } from '../i18n/index.ts';

export interface CallScreenProps {
  /** The grant to join with (null: no media for this call). */
  media: () => MediaGrantView | null | Promise<MediaGrantView | null>;
  /** Who is on the other side (label of their video). */
  peer: () => string;
  /** The status line ("… has answered", "The call has ended"). */
  status: () => string;
  /** Whether the call is still on (the end button shows only then). */
  live: () => boolean;
  onHangup: () => void;
  children?: JSX.Element;
}

export default function CallScreen(props: CallScreenProps) {
  let local!: HTMLVideoElement, remote!: HTMLVideoElement, audio!: HTMLAudioElement, voices!: HTMLDivElement;
  const [mediaError, setMediaError] = createSignal(false);
  const room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });

  onMount(async () => {
    const media = await props.media();
    if (!media) return;
    // Several staff may be in the call (responders added by the officer): everyone is heard (one
    // element per voice), and when the shown video or the main voice leaves, another takes its place.
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === Track.Kind.Video) track.attach(remote);
      else if (track.kind === Track.Kind.Audio) {
        if (!audio.srcObject) track.attach(audio);
        else voices.appendChild(track.attach());
      }
    });
    room.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
      for (const el of track.detach()) if (el !== audio && el !== remote) el.remove();
      for (const p of room.remoteParticipants.values())
        for (const pub of p.trackPublications.values()) {
          const t = pub.track;
          if (t?.kind === Track.Kind.Video && !remote.srcObject) t.attach(remote);
          if (t?.kind === Track.Kind.Audio && !audio.srcObject) {
            for (const el of t.detach()) if (el !== audio) el.remove();
            t.attach(audio);
          }
        }
    });
    try {
      await room.connect(media.url, media.token);
    } catch {
      setMediaError(true);
      return;
    }
    try {
      await room.localParticipant.enableCameraAndMicrophone();
    } catch {
      // No camera (or it is busy): say so, and still try to be heard.
      setMediaError(true);
      await room.localParticipant.setMicrophoneEnabled(true).catch(() => {});
    }
    room.localParticipant.getTrackPublication(Track.Source.Camera)?.videoTrack?.attach(local);
  });
  onCleanup(() => {
    void room.disconnect();
  });

  return (
    <section class="call" aria-label={props.peer() || t().officer}>
      <video class="remote" ref={remote} autoplay playsinline aria-label={props.peer() || t().officer} data-testid="remote-video" />
      <div class="call-top">
        <p class="status call-status" role="status">
          {props.status()}
        </p>
        {props.children}
        <Show when={mediaError()}>
          <p class="status error" role="alert">
            {t().cameraMissing}
          </p>
        </Show>
      </div>
      <video class="local" ref={local} autoplay playsinline muted aria-label={t().you} />
      <audio ref={audio} autoplay />
      <div ref={voices} hidden />
      <Show when={props.live()}>
        <button type="button" class="hangup" onClick={() => props.onHangup()}>
          {t().hangup}
        </button>
      </Show>
    </section>
  );
}
