// The doctor's handover of an escalated consult: shown only to the officer who answered (the hub
// answers 404 to anyone else and to calls without one, and audits each read).
import { For, Show, createResource } from 'solid-js';
import type { LatestVital, MedicalHandoverView } from '@tram/contracts';
import { api } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

const value = (v: LatestVital) => (v.values ? `${v.values.systolic}/${v.values.diastolic}` : String(v.value ?? ''));

export function MedicalHandover(props: { callId: string }) {
  const [handover] = createResource(
    () => props.callId,
    async (id): Promise<MedicalHandoverView | null> => {
      const r = await api.api.calls[':id'].medical.$get({ param: { id } });
      return r.ok ? ((await r.json()) as { handover: MedicalHandoverView }).handover : null;
    },
  );
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
          <ul>
            <For each={h().vitals}>
              {(v) => (
                <li data-kind={v.kind}>
                  {v.kind}: {value(v)} {v.unit}
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
