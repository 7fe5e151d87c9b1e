// Live service levels per ward (command: every ward and the whole city): calls waiting now with
// their age, and answer times over the shift and the last 24 h against NENA-STA-020.
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import { NENA_TARGETS, type ServiceFigures, type ServiceLevelsView } from '@tram/contracts';
import { api } from '@tram/console-ui/hub';
import { t } from './i18n.ts';
import { elapsed } from './timeline.ts';

const pct = (v: number | null, target: number) => (
  <span class={v === null ? '' : v >= target ? 'good' : 'bad'}>{v === null ? '—' : `${v} %`}</span>
);

function Figures(props: { f: ServiceFigures }) {
  return (
    <>
      <td>{props.f.calls}</td>
      <td>{pct(props.f.pct15, NENA_TARGETS.within15sPct)}</td>
      <td>{pct(props.f.pct20, NENA_TARGETS.within20sPct)}</td>
      <td>
        {props.f.abandoned} / {props.f.calledBack}
      </td>
      <td>{props.f.avgTalkS === null ? '—' : `${Math.round(props.f.avgTalkS)} s`}</td>
    </>
  );
}

export function ServiceLevels() {
  const [view, setView] = createSignal<ServiceLevelsView | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const load = async () => {
    const r = await api.api.calls['service-levels'].$get();
    if (r.ok) setView((await r.json()) as ServiceLevelsView);
  };
  onMount(() => {
    void load();
    const every5 = setInterval(load, 5000);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => {
      clearInterval(every5);
      clearInterval(tick);
    });
  });
  return (
    <section class="levels" aria-label={t('tabLevels')}>
      <Show when={view()}>
        {(v) => (
          <table>
            <thead>
              <tr>
                <th rowspan={2}>{t('slWard')}</th>
                <th rowspan={2}>{t('slRinging')}</th>
                <th colspan={5}>{t('slShift', { at: new Date(v().shiftStart).toLocaleTimeString('vi-VN') })}</th>
                <th colspan={5}>{t('slDay')}</th>
              </tr>
              <tr>
                <For each={[0, 1]}>
                  {() => (
                    <>
                      <th>{t('slCalls')}</th>
                      <th>{t('sl15')}</th>
                      <th>{t('sl20')}</th>
                      <th>{t('slAbandoned')}</th>
                      <th>{t('slTalk')}</th>
                    </>
                  )}
                </For>
              </tr>
            </thead>
            <tbody>
              <For each={v().rows}>
                {(r) => (
                  <tr data-ward-id={r.wardId ?? 'all'}>
                    <th scope="row">{r.ward}</th>
                    <td>
                      <For each={r.ringing}>
                        {(c) => {
                          const e = () => elapsed(c.since, now());
                          return (
                            <div class={e().s > 15 ? 'late' : ''}>
                              {c.station} · {e().text}
                            </div>
                          );
                        }}
                      </For>
                    </td>
                    <Figures f={r.shift} />
                    <Figures f={r.day} />
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}
