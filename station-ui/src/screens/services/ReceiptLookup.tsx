// "Tra cứu hồ sơ" without the card: the resident holds the printed receipt's QR code in front of
// the kiosk camera; frames are decoded in the page (jsQR, Apache-2.0) and the hub answers with that
// receipt's progress and history only (no personal fields).
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import jsQR from 'jsqr';
import { parseStatusQr, type ReceiptStatusView } from '@tram/contracts';
import { HubError, statusByReceipt } from './api.ts';
import { s } from './strings.ts';
import { SubmissionCard } from './SubmissionCard.tsx';
import './services.css';

export function ReceiptLookup() {
  const [open, setOpen] = createSignal(false);
  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="secondary lookup-receipt" onClick={() => setOpen(true)}>
          {s().lookupByReceipt}
        </button>
      }
    >
      <Scanner close={() => setOpen(false)} />
    </Show>
  );
}

function Scanner(props: { close: () => void }) {
  let video!: HTMLVideoElement;
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const [found, setFound] = createSignal<ReceiptStatusView[] | null>(null);
  const [error, setError] = createSignal('');
  const [noCamera, setNoCamera] = createSignal(false);
  const canvas = document.createElement('canvas');
  let asking = false;

  const stop = () => {
    clearInterval(timer);
    for (const t of stream?.getTracks() ?? []) t.stop();
  };
  async function scanFrame() {
    if (asking || !video.videoWidth) return;
    // a 640-pixel-wide frame is plenty for a receipt QR held at the camera, and quick to scan
    const w = Math.min(640, video.videoWidth);
    const h = Math.round((w * video.videoHeight) / video.videoWidth);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0, w, h);
    const code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
    if (!code) return;
    const qr = parseStatusQr(code.data);
    if (!qr) return setError(s().lookupNotReceipt);
    asking = true;
    try {
      setFound(await statusByReceipt(qr.receipt, qr.token));
      setError('');
      stop();
    } catch (e) {
      setError(e instanceof HubError && e.status === 404 ? s().lookupNotFound : s().loadError);
    } finally {
      asking = false;
    }
  }
  onMount(async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
      video.srcObject = stream;
      await video.play();
      timer = setInterval(() => void scanFrame(), 200);
    } catch {
      setNoCamera(true);
    }
  });
  onCleanup(stop);

  return (
    <section class="panel receipt-lookup services">
      <div class="services-head">
        <h2>{s().lookupTitle}</h2>
        <button type="button" class="secondary" onClick={props.close}>
          {s().close}
        </button>
      </div>
      <Show when={!found()}>
        <p>{s().lookupHint}</p>
        <video ref={video} muted playsinline class="photo-live scan-live" />
      </Show>
      <Show when={noCamera()}>
        <p class="field-error">{s().noCamera}</p>
      </Show>
      <Show when={error()}>
        <p class="field-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={found()}>
        {(list) => (
          <ul class="submissions">
            <For each={list()}>{(sub) => <SubmissionCard sub={sub} />}</For>
          </ul>
        )}
      </Show>
    </section>
  );
}
