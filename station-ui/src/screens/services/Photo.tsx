// Photographing a document with the kiosk's camera: a live preview, one tap to take it, a JPEG
// small enough for the hub (≤ 180 KB), kept only in this page's memory until it is submitted.
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { s } from './strings.ts';

async function toJpeg(video: HTMLVideoElement): Promise<string> {
  const w = Math.min(960, video.videoWidth || 640);
  const h = Math.round((w * (video.videoHeight || 480)) / (video.videoWidth || 640));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')!.drawImage(video, 0, 0, w, h);
  for (const q of [0.8, 0.6, 0.45, 0.3]) {
    const url = canvas.toDataURL('image/jpeg', q);
    const data = url.slice(url.indexOf(',') + 1);
    if ((data.length * 3) / 4 < 170_000) return data;
  }
  throw new Error('photo too large');
}

export function Photo(props: { label: string; value: string | undefined; onTaken: (base64: string) => void; error?: string }) {
  let video!: HTMLVideoElement;
  let stream: MediaStream | undefined;
  const [failed, setFailed] = createSignal(false);
  onMount(async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
      video.srcObject = stream;
      await video.play();
    } catch {
      setFailed(true);
    }
  });
  onCleanup(() => {
    for (const t of stream?.getTracks() ?? []) t.stop();
  });
  const take = async () => props.onTaken(await toJpeg(video));
  return (
    <div class="photo">
      <h3>{props.label}</h3>
      <p class="muted">{s().photoHint}</p>
      <div class="photo-frames">
        <video ref={video} muted playsinline class="photo-live" />
        <Show when={props.value}>{(v) => <img class="photo-taken" alt={props.label} src={`data:image/jpeg;base64,${v()}`} />}</Show>
      </div>
      <Show when={failed()}>
        <p class="field-error">{s().noCamera}</p>
      </Show>
      <Show when={props.error}>
        <p class="field-error" role="alert">
          {props.error}
        </p>
      </Show>
      <button type="button" class="primary take-photo" onClick={take} disabled={failed()}>
        {props.value ? s().retake : s().takePhoto}
      </button>
    </div>
  );
}
