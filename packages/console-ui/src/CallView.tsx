// A staff member's side of a LiveKit call: the other side's video and voice, one's own camera,
// and optionally a hang-up button. adaptiveStream/dynacast are off: one caller, one staff member,
// full quality both ways (and a hidden tab must not pause the other side's video). A renewed
// grant (a new token) reconnects.
import { type JSX, Show, createEffect, createSignal, on, onCleanup } from 'solid-js';
import { DisconnectReason, Room, RoomEvent, Track, createLocalTracks, type RemoteTrack, type TrackPublication } from 'livekit-client';
import type { MediaGrantView } from '@tram/contracts';
import type { Lang } from './i18n.tsx';
import { CALL_LABELS } from './call-labels.ts';

export interface CallViewProps {
  media: MediaGrantView;
  /** The accessible name of the other side's video. */
  remoteLabel: string;
  /** Shown over the other side's video until it arrives (none: nothing is shown). */
  waitingText?: string;
  /** The connection dropped without anyone hanging up (the room being deleted is the call ending). */
  onLost?(): void;
  /** The hang-up button, when the call is ended from this view. */
  hangup?: { label: string; onClick(): void };
  /** Large microphone and camera buttons under the video (and whatever is given here, e.g. a timer). */
  controls?: { extra?: JSX.Element };
  /** Shown over the other side's video while they turned their camera off (none: nothing is shown). */
  remoteCameraOffText?: string;
  /** The console's language for this view's own labels (default Vietnamese). */
  lang?: Lang;
}

export function CallView(props: CallViewProps) {
  let remote!: HTMLVideoElement, local!: HTMLVideoElement, audio!: HTMLAudioElement, voices!: HTMLDivElement;
  const label = () => CALL_LABELS[props.lang ?? 'vi'];
  // the failure's cause is kept, the words around it follow the language
  const [error, setError] = createSignal('');
  const [remoteUp, setRemoteUp] = createSignal(false);
  const [remoteCameraOff, setRemoteCameraOff] = createSignal(false);
  const [micOn, setMicOn] = createSignal(true);
  const [cameraOn, setCameraOn] = createSignal(true);
  const [published, setPublished] = createSignal(false);
  let room: Room | undefined;

  // muting keeps the tracks published (the other side sees a muted track, not a vanished one)
  const toggleMic = async () => {
    const next = !micOn();
    await room?.localParticipant.setMicrophoneEnabled(next);
    setMicOn(next);
  };
  const toggleCamera = async () => {
    const next = !cameraOn();
    await room?.localParticipant.setCameraEnabled(next);
    setCameraOn(next);
  };

  const join = async (grant: MediaGrantView) => {
    await room?.disconnect();
    const r = new Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
    room = r;
    // More than two may be in a call (responders added to an emergency call): every voice is heard
    // (one element each), and when the shown video or the main voice leaves, another takes its place.
    r.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub) => {
      if (track.kind === Track.Kind.Video) {
        track.attach(remote);
        setRemoteUp(true);
        setRemoteCameraOff(pub.isMuted);
      } else if (track.kind === Track.Kind.Audio) {
        if (!audio.srcObject) track.attach(audio);
        else voices.appendChild(track.attach());
      }
    });
    r.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
      for (const el of track.detach()) if (el !== audio && el !== remote) el.remove();
      if (track.kind === Track.Kind.Video) setRemoteUp(false);
      for (const p of r.remoteParticipants.values())
        for (const pub of p.trackPublications.values()) {
          const t = pub.track;
          if (t?.kind === Track.Kind.Video && !remote.srcObject) {
            t.attach(remote);
            setRemoteUp(true);
          }
          if (t?.kind === Track.Kind.Audio && !audio.srcObject) {
            for (const el of t.detach()) if (el !== audio) el.remove();
            t.attach(audio);
          }
        }
    });
    const cameraMuted = (pub: TrackPublication, muted: boolean) => {
      if (pub.kind === Track.Kind.Video && pub.track?.attachedElements.includes(remote)) setRemoteCameraOff(muted);
    };
    r.on(RoomEvent.TrackMuted, (pub, p) => {
      if (p !== r.localParticipant) cameraMuted(pub, true);
    });
    r.on(RoomEvent.TrackUnmuted, (pub, p) => {
      if (p !== r.localParticipant) cameraMuted(pub, false);
    });
    r.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      if (room === r && reason !== DisconnectReason.CLIENT_INITIATED && reason !== DisconnectReason.ROOM_DELETED) props.onLost?.();
    });
    try {
      setError('');
      // open the camera and microphone while the room connects: the other side sees us sooner
      const tracks = createLocalTracks({ audio: true, video: true });
      tracks.catch(() => {}); // reported below, after connect
      // a loaded machine or network can miss the first WebRTC handshake: try again before giving up
      for (let attempt = 1; ; attempt++) {
        try {
          await r.connect(grant.url, grant.token);
          break;
        } catch (e) {
          if (attempt >= 3 || room !== r) throw e;
        }
      }
      if (room !== r) {
        for (const t of await tracks) t.stop();
        return;
      }
      for (const t of await tracks) {
        await r.localParticipant.publishTrack(t);
        if (t.kind === Track.Kind.Video) t.attach(local);
      }
      // a reconnect publishes fresh tracks: what was muted before is muted again
      if (!micOn()) await r.localParticipant.setMicrophoneEnabled(false);
      if (!cameraOn()) await r.localParticipant.setCameraEnabled(false);
      setPublished(true);
    } catch (e) {
      setError((e as Error).message || String(e));
    }
  };
  createEffect(
    on(
      () => props.media.token,
      () => void join(props.media),
    ),
  );
  onCleanup(() => {
    const r = room;
    room = undefined;
    void r?.disconnect();
  });

  return (
    <div class="media">
      <Show when={error()}>
        <p class="error" role="alert">
          {label().mediaFailed.replace('{reason}', () => error())}
        </p>
      </Show>
      <div class="videos">
        <div class="remote">
          <video ref={remote} autoplay playsinline data-testid="remote-video" aria-label={props.remoteLabel} />
          <Show when={props.waitingText && !remoteUp()}>
            <span class="waiting-video">{props.waitingText}</span>
          </Show>
          <Show when={props.remoteCameraOffText && remoteUp() && remoteCameraOff()}>
            <span class="waiting-video" data-testid="remote-camera-off">
              {props.remoteCameraOffText}
            </span>
          </Show>
        </div>
        <video ref={local} class="local" autoplay playsinline muted data-testid="local-video" aria-label={label().me} />
      </div>
      <Show when={props.controls}>
        {(c) => (
          <div class="call-controls" role="toolbar" aria-label={label().controls}>
            <button
              type="button"
              class="call-control"
              classList={{ off: !micOn() }}
              disabled={!published()}
              onClick={() => void toggleMic()}
            >
              {micOn() ? label().mute : label().unmute}
            </button>
            <button
              type="button"
              class="call-control"
              classList={{ off: !cameraOn() }}
              disabled={!published()}
              onClick={() => void toggleCamera()}
            >
              {cameraOn() ? label().cameraOff : label().cameraOn}
            </button>
            {c().extra}
          </div>
        )}
      </Show>
      <audio ref={audio} autoplay />
      <div ref={voices} hidden />
      <Show when={props.hangup}>
        {(h) => (
          <button type="button" class="hangup" onClick={() => h().onClick()}>
            {h().label}
          </button>
        )}
      </Show>
    </div>
  );
}
