// Guided health check: one device at a time, then the summary. Readings from before the check
// started are not this resident's and are not shown.
import { Match, Show, Switch, createEffect, createSignal, on, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { unwrap } from 'solid-js/store';
import type { BoothKind, LiveReading } from '@tram/contracts';
import { clearVitals, devicesFor, vitals } from '../../state/vitals.ts';
import { speak } from '../../state/voice.ts';
import { STEPS, deviceKinds } from './steps.ts';
import { StepView } from './StepView.tsx';
import { HealthSummary } from './HealthSummary.tsx';

export function HealthCheck() {
  const steps = () => STEPS.filter((s) => devicesFor(deviceKinds[s.id]).length > 0);
  const [index, setIndex] = createSignal(0);
  const [done, setDone] = createSignal(false);
  const [taken, setTaken] = createSignal<Partial<Record<BoothKind, LiveReading>>>({});
  const step = () => steps()[index()];
  const has = () => {
    const s = step();
    return !!s && !!vitals.readings[s.kinds[0]!];
  };
  const stepOff = () => {
    const s = step();
    return !!s && !devicesFor(deviceKinds[s.id]).some((d) => d.state === 'connected');
  };
  onMount(clearVitals);
  createEffect(
    on(step, (s) => {
      if (s && !done()) speak(s.how);
    }),
  );
  const forward = () => {
    if (index() + 1 < steps().length) setIndex(index() + 1);
    else {
      setTaken(structuredClone(unwrap(vitals.readings)));
      setDone(true);
    }
  };
  const again = () => {
    clearVitals();
    setIndex(0);
    setDone(false);
  };
  return (
    <Switch>
      <Match when={steps().length === 0}>
        <p class="panel status" role="status">
          {t().noDevices}
        </p>
      </Match>
      <Match when={done()}>
        <HealthSummary readings={taken()} onAgain={again} />
      </Match>
      <Match when={step()}>
        {(s) => (
          <section class="page health">
            <p class="step-count">
              {t().healthTitle} · {t().stepOf(index() + 1, steps().length)}
            </p>
            <StepView step={s()} />
            <div class="actions">
              <Show
                when={has()}
                fallback={
                  <button type="button" class="secondary wide-main" onClick={forward}>
                    {stepOff() ? t().continue : index() + 1 >= steps().length ? t().showResults : t().skip}
                  </button>
                }
              >
                <button type="button" class="primary wide-main" onClick={forward}>
                  {index() + 1 < steps().length ? t().next : t().showResults}
                </button>
              </Show>
            </div>
          </section>
        )}
      </Match>
    </Switch>
  );
}
