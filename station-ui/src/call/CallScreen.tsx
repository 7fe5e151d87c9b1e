// The kiosk side of an emergency call: own camera, the officer's video and voice, hang up.
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';
import type { CallView } from '@tram/hub/schemas';
import { t } from '../i18n.ts';
import { endCall, escalated, sos } from '../agent.ts';

export default function CallScreen(props: { call: CallView }) {
  let local!: HTMLVideoElement, remote!: HTMLVideoElement, audio!: HTMLAudioElement;
  const [mediaError, setMediaError] = createSignal(false);
  const room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });

  onMount(async () => {
    const s = sos();
    const media = s.state === 'acknowledged' ? s.media : null;
    if (!media) return;
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === Track.Kind.Video) track.attach(remote);
      else if (track.kind === Track.Kind.Audio) track.attach(audio);
    });
    try {
      await room.connect(media.url, media.token);
      await room.localParticipant.enableCameraAndMicrophone();
      const cam = room.localParticipant.getTrackPublication(Track.Source.Camera)?.videoTrack;
      cam?.attach(local);
    } catch {
      setMediaError(true);
    }
  });
  onCleanup(() => { void room.disconnect(); });

  const hangup = () => endCall(props.call.id, props.call.status === 'ringing' ? 'cancelled' : 'hangup');

  return (
    <>
      <p class="status" role="status">
        {props.call.status === 'ended' ? t().ended
          : props.call.answeredBy ? t().answered(props.call.answeredBy.displayName) : t().ringing}
      </p>
      <Show when={escalated() && props.call.status === 'ringing'}>
        <div class="fallback" role="alert">{t().escalated}<strong>113</strong></div>
      </Show>
      <Show when={mediaError()}><p class="status" role="alert">{t().cameraMissing}</p></Show>
      <div class="videos">
        <video ref={remote} autoplay playsinline aria-label={t().officer} data-testid="remote-video" />
        <video ref={local} autoplay playsinline muted aria-label={t().you} />
      </div>
      <audio ref={audio} autoplay />
      <Show when={props.call.status !== 'ended'}>
        <button class="hangup" onClick={hangup}>{t().hangup}</button>
      </Show>
    </>
  );
}
