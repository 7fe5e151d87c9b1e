// A video call, full screen: the other side's video and voice, who they are, the kiosk's own camera
// and, at the bottom, large volume −/+ and a neutral "end call" (with a confirmation when asked).
// Used by the emergency call and the doctor consult; loaded lazily, so livekit-client is fetched
// only when a call starts. The self-view sits on top of the bottom bar on the right, clear of the
// status panel and its buttons (the in-call emergency button) in both orientations. When the
// connection drops for good (livekit-client gave up reconnecting: the media server holding the room
// died) and the call is still on, it asks for a fresh grant (`rejoin`) and joins again.
import { Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, type RemoteTrack, type TrackPublication } from 'livekit-client';
import type { MediaGrantView } from '@tram/contracts';
import { t } from '../i18n/index.ts';

export interface CallScreenProps {
  /** The grant to join with (null: no media for this call). */
  media: () => MediaGrantView | null | Promise<MediaGrantView | null>;
  /** A fresh grant after the connection dropped (the hub makes the room anew on a live node); null: not now. */
  rejoin?: () => Promise<MediaGrantView | null>;
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
/** Asking again for a grant after the connection dropped: every few seconds, while the call is on. */
const REJOIN_EVERY_MS = 3000;
/** Drops that are meant (hung up, the call ended, another page took this identity): no rejoin. */
const MEANT = new Set([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.DUPLICATE_IDENTITY,
]);

export default function CallScreen(props: CallScreenProps) {
  let local!: HTMLVideoElement, remote!: HTMLVideoElement, audio!: HTMLAudioElement, voices!: HTMLDivElement;
  const [mediaError, setMediaError] = createSignal(false);
  const [peerVideo, setPeerVideo] = createSignal(false);
  const [peerCameraOff, setPeerCameraOff] = createSignal(false);
  const [level, setLevel] = createSignal(LEVELS);
  const [confirming, setConfirming] = createSignal(false);
  const [reconnecting, setReconnecting] = createSignal(false);
  let room: Room | undefined;
  let closed = false;
  const setVolume = (k: number) => {
    const v = Math.max(1, Math.min(LEVELS, k));
    setLevel(v);
    // every voice in the call: the first in `audio`, others (a second responder) in `voices`
    for (const el of [audio, ...voices.querySelectorAll('audio')]) el.volume = v / LEVELS;
  };

  /** Joins with this grant in a new Room; false when it could not connect. */
  const join = async (media: MediaGrantView): Promise<boolean> => {
    const r = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
    room = r;
    // Several staff may be in the call (responders added by the officer): everyone is heard (one
    // element per voice), and when the shown video or the main voice leaves, another takes its place.
    r.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub) => {
      if (track.kind === Track.Kind.Video) {
        track.attach(remote);
        setPeerVideo(true);
        setPeerCameraOff(pub.isMuted);
      } else if (track.kind === Track.Kind.Audio) {
        if (!audio.srcObject) track.attach(audio);
        else voices.appendChild(track.attach());
      }
    });
    r.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
      for (const el of track.detach()) if (el !== audio && el !== remote) el.remove();
      for (const p of r.remoteParticipants.values())
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
    r.on(RoomEvent.TrackMuted, (pub, p) => {
      if (p !== r.localParticipant) cameraMuted(pub, true);
    });
    r.on(RoomEvent.TrackUnmuted, (pub, p) => {
      if (p !== r.localParticipant) cameraMuted(pub, false);
    });
    // livekit-client first tries to resume on its own (up to ~45 s while the server stays down):
    // the resident is told at once, not only when it gives up and the hub is asked for a new room.
    r.on(RoomEvent.ConnectionStateChanged, (state: ConnectionState) => {
      if (room !== r) return;
      if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) setReconnecting(true);
      else if (state === ConnectionState.Connected && !rejoining) setReconnecting(false);
    });
    r.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      if (room === r && !(reason !== undefined && MEANT.has(reason))) void rejoin();
    });
    try {
      await r.connect(media.url, media.token);
    } catch {
      return false;
    }
    try {
      await r.localParticipant.enableCameraAndMicrophone();
    } catch {
      // No camera (or it is busy): say so, and still try to be heard.
      setMediaError(true);
      await r.localParticipant.setMicrophoneEnabled(true).catch(() => {});
    }
    r.localParticipant.getTrackPublication(Track.Source.Camera)?.videoTrack?.attach(local);
    return true;
  };

  /** The connection dropped while the call is on: a fresh grant from the hub, again until one connects or the call ends. */
  let rejoining = false;
  const rejoin = async () => {
    if (!props.rejoin || rejoining || closed || !props.live()) return;
    rejoining = true;
    setReconnecting(true);
    setPeerVideo(false);
    for (const el of [remote, audio]) el.srcObject = null;
    voices.replaceChildren();
    try {
      for (let i = 0; !closed && props.live(); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, REJOIN_EVERY_MS));
        const media = await props.rejoin().catch(() => null);
        if (media && !closed && (await join(media))) return;
      }
    } finally {
      rejoining = false;
      setReconnecting(false);
    }
  };

  onMount(async () => {
    const media = await props.media();
    if (!media || closed) return;
    if (!(await join(media))) {
      if (props.rejoin) void rejoin();
      else setMediaError(true);
    }
  });
  onCleanup(() => {
    closed = true;
    void room?.disconnect();
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
        <Show when={reconnecting() && props.live()}>
          <p class="status error" role="alert">
            {t().mediaReconnecting}
          </p>
        </Show>
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
