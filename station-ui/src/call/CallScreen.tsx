// A video call, full screen: the other side's video and voice, who they are, the kiosk's own camera
// and, at the bottom, large volume −/+ and a neutral "end call" (with a confirmation when asked).
// Used by the emergency call and the doctor consult; loaded lazily, so livekit-client is fetched
// only when a call starts. The self-view sits on top of the bottom bar on the right, clear of the
// status panel and its buttons (the in-call emergency button) in both orientations.
import { Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { Room, RoomEvent, Track, type RemoteTrack, type TrackPublication } from 'livekit-client';
import type { MediaGrantView } from '@tram/contracts';
import { t } from '../i18n/index.ts';

export interface CallScreenProps {
  /** The grant to join with (null: no media for this call). */
  media: () => MediaGrantView | null | Promise<MediaGrantView | null>;
  /** Who is on the other side (label of their video). */
  peer: () => string;
  /** The status line ("… has answered", "The call has ended"). */
  status: () => string;
  /** The status line instead, while the call is on and the other side's video has not arrived yet. */
  statusUntilVideo?: () => string;
  /** Whether the call is still on (the end button shows only then). */
  live: () => boolean;
  onHangup: () => void;
  /** Ask before ending (the question); without it one tap ends. */
  confirmHangup?: () => string;
  /** One extra large button beside "end call" (e.g. "I cannot speak"). */
  extra?: JSX.Element;
  children?: JSX.Element;
}

const LEVELS = 5;

export default function CallScreen(props: CallScreenProps) {
  let local!: HTMLVideoElement, remote!: HTMLVideoElement, audio!: HTMLAudioElement, voices!: HTMLDivElement;
  const [mediaError, setMediaError] = createSignal(false);
  const [peerVideo, setPeerVideo] = createSignal(false);
  const [peerCameraOff, setPeerCameraOff] = createSignal(false);
  const [level, setLevel] = createSignal(LEVELS);
  const [confirming, setConfirming] = createSignal(false);
  const room = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
  const setVolume = (k: number) => {
    const v = Math.max(1, Math.min(LEVELS, k));
    setLevel(v);
    // every voice in the call: the first in `audio`, others (a second responder) in `voices`
    for (const el of [audio, ...voices.querySelectorAll('audio')]) el.volume = v / LEVELS;
  };

  onMount(async () => {
    const media = await props.media();
    if (!media) return;
    // Several staff may be in the call (responders added by the officer): everyone is heard (one
    // element per voice), and when the shown video or the main voice leaves, another takes its place.
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub) => {
      if (track.kind === Track.Kind.Video) {
        track.attach(remote);
        setPeerVideo(true);
        setPeerCameraOff(pub.isMuted);
      } else if (track.kind === Track.Kind.Audio) {
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
    // the shown video's camera turned off (muted) or back on
    const cameraMuted = (pub: TrackPublication, muted: boolean) => {
      if (pub.kind === Track.Kind.Video && pub.track?.attachedElements.includes(remote)) setPeerCameraOff(muted);
    };
    room.on(RoomEvent.TrackMuted, (pub, p) => {
      if (p !== room.localParticipant) cameraMuted(pub, true);
    });
    room.on(RoomEvent.TrackUnmuted, (pub, p) => {
      if (p !== room.localParticipant) cameraMuted(pub, false);
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
          {props.statusUntilVideo && props.live() && !peerVideo() ? props.statusUntilVideo() : props.status()}
        </p>
        <Show when={!props.statusUntilVideo && props.live() && !peerVideo() && props.peer()}>
          <p class="call-connecting">{t().videoConnecting(props.peer())}</p>
        </Show>
        <Show when={props.live() && peerVideo() && peerCameraOff()}>
          <p class="call-connecting call-camera-off" role="status">
            {t().peerCameraOff(props.peer())}
          </p>
        </Show>
        {props.children}
        <Show when={mediaError()}>
          <p class="status error" role="alert">
            {t().cameraMissing}
          </p>
        </Show>
      </div>
      <audio ref={audio} autoplay />
      <div ref={voices} hidden />
      {/* the self-view stacks on the bottom bar, so it never covers its buttons, however tall the bar
          grows (the hang-up question adds a row) */}
      <div class="call-dock">
        <video class="local" ref={local} autoplay playsinline muted aria-label={t().you} />
        <div class="call-bottom">
          <Show when={props.live()}>
            <div class="volume">
              <button type="button" class="vol-btn" aria-label={t().volumeDown} onClick={() => setVolume(level() - 1)}>
                −
              </button>
              <span class="vol-level">{t().volume(level())}</span>
              <button type="button" class="vol-btn" aria-label={t().volumeUp} onClick={() => setVolume(level() + 1)}>
                +
              </button>
            </div>
            {props.extra}
            <Show
              when={confirming()}
              fallback={
                <button type="button" class="hangup" onClick={() => (props.confirmHangup ? setConfirming(true) : props.onHangup())}>
                  {t().hangup}
                </button>
              }
            >
              <div class="hangup-confirm" role="alertdialog" aria-labelledby="hangup-q">
                <p id="hangup-q">{props.confirmHangup?.()}</p>
                <button type="button" class="hangup" onClick={() => props.onHangup()}>
                  {t().hangupYes}
                </button>
                <button type="button" class="keep-calling" onClick={() => setConfirming(false)}>
                  {t().hangupNo}
                </button>
              </div>
            </Show>
          </Show>
        </div>
      </div>
    </section>
  );
}
