// One step of the health check: picture, instruction, the device's live value or honest status.
import { For, Show, createSignal } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { t } from '../../i18n/index.ts';
import { devicesFor, startMeasuring, vitals } from '../../state/vitals.ts';
import { pictures } from '../../components/Pictures.tsx';
import { deviceKinds, type Step } from './steps.ts';
import { formatValue } from './format.ts';

export function StepView(props: { step: Step }) {
  const devices = () => devicesFor(deviceKinds[props.step.id]);
  const connected = () => devices().some((d) => d.state === 'connected');
  const condition = () => devices().find((d) => d.condition)?.condition;
  const fingerOut = () => !!condition()?.flags.includes('finger_out');
  // Until the resident presses "start", the rows say so (not "waiting for the result").
  const [started, setStarted] = createSignal(false);
  const cuff = () => (condition()?.flags.includes('measuring') ? condition()?.detail?.['cuffPressure'] : undefined);
  return (
    <div class="step">
      <Dynamic component={pictures[props.step.id]} />
      <div class="step-body">
        <h2>{t()[props.step.title] as string}</h2>
        <p class="instruction">{t()[props.step.how] as string}</p>
        <Show
          when={connected()}
          fallback={
            <p class="status error" role="status">
              {t().deviceMissing(t().device[props.step.id])}
            </p>
          }
        >
          <Show when={fingerOut()}>
            <p class="status" role="status">
              {t().fingerOut}
            </p>
          </Show>
          <Show when={cuff() !== undefined}>
            <p class="status" role="status">
              {t().cuffPressure(cuff()!)}
            </p>
          </Show>
          <dl class="live" aria-live="polite">
            <For each={props.step.kinds}>
              {(k) => (
                <div class="live-row">
                  <dt>{t().kind[k]}</dt>
                  <dd>
                    {vitals.readings[k] ? (
                      formatValue(vitals.readings[k]!)
                    ) : (
                      <span class="muted">{started() ? t().waitingValue : t().pressToStart}</span>
                    )}
                  </dd>
                </div>
              )}
            </For>
          </dl>
          <button
            type="button"
            class="primary start-measure wide-main"
            onClick={() => {
              setStarted(true);
              void startMeasuring(props.step.kinds);
            }}
          >
            {t().startMeasure}
          </button>
        </Show>
      </div>
    </div>
  );
}
