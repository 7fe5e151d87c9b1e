// The doctor's handover of an escalated consult: shown only to the officer who owns the call and its
// 115 medics (the hub answers 404 to anyone else and to calls without one, and audits each read).
// The vitals then follow the resident live while they re-measure in the booth.
import { For, Show, createEffect, createResource, createSignal, onCleanup } from 'solid-js';
import { VITAL_KINDS, type LatestVital, type MedicalHandoverView, type VitalKind } from '@tram/contracts';
import { api } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';
import { followCallVitals, type LiveState } from './live-vitals.ts';

const order = (k: VitalKind) => VITAL_KINDS.indexOf(k);
const value = (v: LatestVital) => (v.values ? `${v.values.systolic}/${v.values.diastolic}` : String(v.value ?? ''));

export function MedicalHandover(props: { callId: string }) {
  const [handover] = createResource(
    () => props.callId,
    async (id): Promise<MedicalHandoverView | null> => {
      const r = await api.api.calls[':id'].medical.$get({ param: { id } });
      return r.ok ? ((await r.json()) as { handover: MedicalHandoverView }).handover : null;
    },
  );
  // newest value of each kind: the handover's snapshot, then each live reading as it arrives
  const [vitals, setVitals] = createSignal<LatestVital[]>([]);
  const [live, setLive] = createSignal<LiveState>('off');
  createEffect(() => {
    const h = handover();
    if (!h) return;
    setVitals(h.vitals);
    const follow = followCallVitals(h.patient.id, {
      vital: (v) =>
        setVitals((list) => {
          const old = list.find((x) => x.kind === v.kind);
          if (old && Date.parse(old.at) > Date.parse(v.at)) return list;
          return [...list.filter((x) => x.kind !== v.kind), v].sort((a, b) => order(a.kind) - order(b.kind));
        }),
      state: setLive,
    });
    onCleanup(() => follow.stop());
  });
  return (
    <Show when={handover()}>
      {(h) => (
        <section class="medical" aria-label={t('mHeading')}>
          <h3>
            {t('mHeading')}
            {h().clinician ? ` — ${h().clinician!.displayName}` : ''}
          </h3>
          <p>
            {h().patient.name}
            {h().patient.age !== null ? `, ${t('age', { n: h().patient.age! })}` : ''}
            {h().patient.sex ? `, ${h().patient.sex}` : ''}
          </p>
          <Show when={h().reason}>
            <p class="reason">
              {t('mReason')}: {t(`c_${h().reason!}`)}
            </p>
          </Show>
          <Show when={h().text}>
            <p>{h().text}</p>
          </Show>
          <p class="live" data-live={live()}>
            {t(live() === 'live' ? 'mLive' : live() === 'connecting' ? 'mConnecting' : 'mSnapshot')}
          </p>
          <ul>
            <For each={vitals()}>
              {(v) => (
                <li data-kind={v.kind} data-at={v.at}>
                  {t(`k_${v.kind}`)}: {value(v)} {v.unit}
                  {v.flag ? ` (${v.flag})` : ''}
                </li>
              )}
            </For>
          </ul>
        </section>
      )}
    </Show>
  );
}
