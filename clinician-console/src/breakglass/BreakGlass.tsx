// Break-glass: a clinician opens the record of a resident outside their consults (by CCCD number)
// only with a typed reason. The hub grants time-limited access to that one patient, and the reason
// goes into the audit trail flagged for review; this panel says so before anything is sent.
import { Show, createSignal } from 'solid-js';
import type { ObservationJson, Sample } from '../fhir/observations.ts';
import { toSample } from '../fhir/observations.ts';
import { fhir, observationHistory } from '../fhir/client.ts';
import { t } from '../i18n.ts';
import { dateTimeText } from '../vitals/format.ts';
import { ReadingsTable } from '../vitals/ReadingsTable.tsx';

const MIN_REASON = 10;

interface Opened {
  name: string;
  expires: string;
  samples: Sample[];
}

export function BreakGlass() {
  const [idNumber, setIdNumber] = createSignal('');
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [opened, setOpened] = createSignal<Opened | null>(null);
  const ready = () => /^\d{12}$/.test(idNumber()) && reason().trim().length >= MIN_REASON && !busy();

  const open = async (e: Event) => {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      const r = await fetch('/fhir/$break-glass', {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            { name: 'identifier', valueString: idNumber() },
            { name: 'reason', valueString: reason().trim() },
          ],
        }),
      });
      const b = await r.json();
      if (!r.ok) {
        setError(b?.issue?.[0]?.details?.text ?? `HTTP ${r.status}`);
        return;
      }
      const patient = b.parameter.find((p: { name: string }) => p.name === 'patient').valueReference.reference.split('/')[1] as string;
      const expires = b.parameter.find((p: { name: string }) => p.name === 'expires').valueInstant as string;
      const p = (await fhir.read({ resourceType: 'Patient', id: patient })) as { name?: { text?: string }[] };
      const bundle = await observationHistory(patient, 50);
      const samples = (bundle.entry ?? []).map((x) => toSample(x.resource as ObservationJson)).filter((s): s is Sample => !!s);
      setOpened({ name: p.name?.[0]?.text ?? patient, expires, samples });
    } catch (err) {
      setError(String((err as Error).message ?? err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="break-glass" aria-label={t('bgHeading')}>
      <h2>{t('bgHeading')}</h2>
      <p class="muted">{t('bgWarning')}</p>
      <form onSubmit={open}>
        <label>
          {t('bgIdNumber')}{' '}
          <input inputmode="numeric" maxlength={12} value={idNumber()} onInput={(e) => setIdNumber(e.currentTarget.value.trim())} />
        </label>
        <label>
          {t('bgReason')} <textarea maxlength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!ready()}>
          {t('bgOpen')}
        </button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={opened()}>
        {(o) => (
          <article data-testid="break-glass-record">
            <h3>{o().name}</h3>
            <p class="muted">{t('bgUntil', { at: dateTimeText(o().expires) })}</p>
            <ReadingsTable samples={o().samples} empty={t('bgNoReadings')} />
          </article>
        )}
      </Show>
    </section>
  );
}
