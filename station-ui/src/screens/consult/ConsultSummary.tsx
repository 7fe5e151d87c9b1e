// The end of a consult: the doctor's advice in plain words, with a print button; "done" clears
// everything (the session ends after a call).
import { Match, Show, Switch } from 'solid-js';
import type { ConsultView } from '@tram/contracts';
import { lang, t } from '../../i18n/index.ts';
import { resetToStart } from '../../state/session.ts';

export function ConsultSummary(props: { consult: ConsultView }) {
  return (
    <section class="page advice">
      <Switch>
        <Match when={props.consult.status === 'cancelled'}>
          <p class="panel status" role="status">
            {t().consultCancelled}
          </p>
        </Match>
        <Match when={props.consult.status === 'abandoned'}>
          <p class="panel status" role="status">
            {t().consultAbandoned}
          </p>
        </Match>
        <Match when={props.consult.summary}>
          {(s) => (
            <article class="panel printable">
              <h2>{t().adviceTitle}</h2>
              <Show when={props.consult.clinician}>
                <p class="muted">{t().adviceFrom(props.consult.clinician!.displayName)}</p>
              </Show>
              {/* the doctor writes in Vietnamese: marked so (and read by screen readers as Vietnamese) */}
              <p class="advice-text" lang="vi">
                {s().advice}
              </p>
              <Show when={lang() === 'en'}>
                <p class="muted">{t().adviceInVi}</p>
              </Show>
              <p class={`referral referral-${s().referral}`}>{t().referral[s().referral]}</p>
            </article>
          )}
        </Match>
        <Match when={true}>
          <p class="panel status" role="status">
            {t().advicePending}
          </p>
        </Match>
      </Switch>
      <div class="actions">
        <Show when={props.consult.summary}>
          <button type="button" class="primary" onClick={() => print()}>
            {t().print}
          </button>
        </Show>
        <button type="button" class="secondary" onClick={() => resetToStart(true)}>
          {t().finish}
        </button>
      </div>
    </section>
  );
}
