// Live vitals during the call: the newest value of each sign (marked when it arrived after a
// re-measure request or during the call), a chart per sign, and re-measure buttons per device.
import { For, Show } from 'solid-js';
import { isBoothKind, type BoothKind, type VitalKind } from '@tram/contracts';
import type { Sample } from '../fhir/observations.ts';
import type { LiveState } from '../fhir/live-vitals.ts';
import { type Key, t } from '../i18n.ts';
import { KIND_ORDER, abnormal, abnormalText, kindText, timeText, unitText, valueText } from '../vitals/format.ts';
import { VitalChart, charted } from './VitalChart.tsx';

// What a doctor may ask to re-measure: the booth's kinds (BP cuff, oximeter, thermometer, scale, height sensor).
const remeasurable = (k: VitalKind): k is BoothKind => isBoothKind(k);
const LIVE_TEXT: Record<LiveState, Key | null> = { connecting: 'connecting', live: 'live', polling: 'polling', closed: null };

export function VitalsPanel(props: {
  samples: Sample[];
  since: number;
  live: LiveState;
  pending: ReadonlySet<VitalKind>;
  onRemeasure(k: BoothKind): void;
}) {
  const byKind = (k: VitalKind) => props.samples.filter((s) => s.kind === k);
  const latest = (k: VitalKind) => byKind(k).reduce<Sample | undefined>((a, s) => (!a || s.at > a.at ? s : a), undefined);
  const kinds = () => KIND_ORDER.filter((k) => remeasurable(k) || byKind(k).length);
  return (
    <section class="vitals-panel" aria-label={t('vitals')}>
      <h3>
        {t('vitals')}{' '}
        <span class="muted" data-testid="live-state">
          {LIVE_TEXT[props.live] ? t(LIVE_TEXT[props.live]!) : ''}
        </span>
      </h3>
      <div class="vital-grid">
        <For each={kinds()}>
          {(k) => {
            const l = () => latest(k);
            const off = () => (l() ? abnormal(k, l()!) : null);
            return (
              <div class={`vital ${l()?.flagged || off() ? 'flagged' : ''}`}>
                <div class="k">{kindText(k)}</div>
                <div class="v" data-testid={`latest-${k}`}>
                  {l() ? valueText(l()!) : '—'} <small>{l() ? unitText(l()!.unit) : ''}</small>
                  <Show when={off()}>
                    {(o) => (
                      <span class="abnormal" data-testid={`abnormal-${k}`}>
                        {' '}
                        {abnormalText(o())}
                      </span>
                    )}
                  </Show>
                </div>
                <div class="muted">
                  <Show when={l()}>
                    {(s) => (
                      <>
                        {timeText(new Date(s().at).toISOString())}
                        <Show when={s().at >= props.since}>{t('fresh')}</Show>
                      </>
                    )}
                  </Show>
                </div>
                <Show when={remeasurable(k) && k}>
                  {(m) => (
                    <button
                      type="button"
                      class="remeasure"
                      disabled={props.pending.has(k)}
                      onClick={() => props.onRemeasure(m())}
                      aria-label={t('remeasureLabel', { kind: kindText(k) })}
                    >
                      {props.pending.has(k) ? t('measuring') : t('remeasure')}
                    </button>
                  )}
                </Show>
                <Show when={charted(k) && byKind(k).length}>
                  <VitalChart kind={k} samples={byKind(k)} />
                </Show>
              </div>
            );
          }}
        </For>
      </div>
    </section>
  );
}
