// The end of the health check: every value measured, the hub's verdict on each, its plain-language
// notes when a value is out of range, and "see a doctor now" when a note says so.
import { For, Show } from 'solid-js';
import { lang, t } from '../../i18n/index.ts';
import type { BoothKind, LiveReading } from '@tram/contracts';
import { vitals } from '../../state/vitals.ts';
import { go } from '../../state/navigation.ts';
import { resetToStart } from '../../state/session.ts';
import { formatValue } from './format.ts';

const ORDER: BoothKind[] = ['blood_pressure', 'heart_rate', 'spo2', 'temperature', 'weight', 'height'];

/** `readings`: the values as they were when the resident asked for the results. */
export function HealthSummary(props: { readings: Partial<Record<BoothKind, LiveReading>>; onAgain: () => void }) {
  const measured = () => ORDER.filter((k) => props.readings[k]);
  const flags = () => Object.values(vitals.flags).filter((f) => f !== undefined);
  const verdict = (k: BoothKind) => {
    const r = props.readings[k];
    return r ? vitals.observations[r.id]?.interpretation : undefined;
  };
  const saved = () => measured().every((k) => vitals.observations[props.readings[k]!.id]);
  return (
    <section class="page summary">
      <h2>{t().summaryTitle}</h2>
      <Show when={measured().length > 0} fallback={<p class="panel">{t().nothingMeasured}</p>}>
        <table class="results">
          <tbody>
            <For each={measured()}>
              {(k) => (
                <tr classList={{ abnormal: !!verdict(k) && verdict(k) !== 'N' }}>
                  <th scope="row">{t().kind[k]}</th>
                  <td>{formatValue(props.readings[k]!)}</td>
                  <td>{verdict(k) ? t().interp[verdict(k)!] : ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show
          when={flags().length > 0}
          fallback={
            <Show when={saved()}>
              <p class="panel ok">{t().allNormal}</p>
            </Show>
          }
        >
          <div class="notes" role="alert">
            <For each={flags()}>{(f) => <p class={`panel note-${f.severity}`}>{f.message[lang()]}</p>}</For>
          </div>
        </Show>
        <p class="muted">{saved() ? t().savedToRecord : t().notYetSaved}</p>
      </Show>
      <div class="actions">
        <Show when={flags().length > 0}>
          <button type="button" class="primary urgent" onClick={() => go('consult')}>
            {t().seeDoctorNow}
          </button>
        </Show>
        <button type="button" class="secondary" onClick={props.onAgain}>
          {t().measureAgain}
        </button>
        {/* Done: the results leave the screen (and a card still inserted is asked for). */}
        <button type="button" class="secondary" onClick={() => resetToStart(true)}>
          {t().finish}
        </button>
      </div>
    </section>
  );
}
