// After a bill is paid, the hub reports it back to the provider (electricity, water, …) from an
// outbox; the kiosk asks for the payment every 2 s (for at most 2 minutes) and says when the
// provider has been told, so the resident knows the bill is settled at the provider too.
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { getPayment } from './api.ts';
import { s } from './strings.ts';

export function ReportedNote(props: { paymentId: string }) {
  const [reported, setReported] = createSignal(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  const started = Date.now();
  const check = async () => {
    const p = await getPayment(props.paymentId).catch(() => null);
    if (p?.reportedAt) setReported(true);
    if (p?.reportedAt || Date.now() - started > 120_000) clearInterval(timer);
  };
  onMount(() => {
    void check();
    timer = setInterval(() => void check(), 2000);
  });
  onCleanup(() => clearInterval(timer));
  return (
    <p class="muted reported" role="status" data-reported={reported() ? 'yes' : 'no'}>
      <Show when={reported()} fallback={s().reporting}>
        ✓ {s().reported}
      </Show>
    </p>
  );
}
