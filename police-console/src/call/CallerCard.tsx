// Who is calling and from where: the station and its place, the resident (named only for the
// officer who answered; the hub audits that read), the doctor's handover of an escalated consult,
// earlier calls from the station, and the call's timeline in plain words. Refetched on `version`.
import { For, Match, Show, Switch, createResource } from 'solid-js';
import type { CallerCardView } from '@tram/contracts';
import { api } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';
import { describe } from '../timeline.ts';
import { MedicalHandover } from './MedicalHandover.tsx';

const time = (iso: string) => new Date(iso).toLocaleString('vi-VN');

export function CallerCard(props: { callId: string; version: number; answeredByMe: boolean; onOpen?: (id: string) => void }) {
  const [card] = createResource(
    () => ({ id: props.callId, v: props.version }),
    async ({ id }): Promise<CallerCardView | null> => {
      const r = await api.api.calls[':id'].card.$get({ param: { id } });
      return r.ok ? ((await r.json()) as CallerCardView) : null;
    },
  );
  return (
    <Show when={card.latest}>
      {(c) => (
        <section class="card" aria-label={t('card')}>
          <h3>{t('card')}</h3>
          <dl>
            <dt>{t('station')}</dt>
            <dd>{c().station.name}</dd>
            <Show when={c().station.building}>
              <dt>{t('building')}</dt>
              <dd>{c().station.building}</dd>
            </Show>
            <Show when={c().station.lobby}>
              <dt>{t('lobby')}</dt>
              <dd>{c().station.lobby}</dd>
            </Show>
            <dt>{t('address')}</dt>
            <dd>{c().station.address}</dd>
            <dt>{t('ward')}</dt>
            <dd>
              {c().station.ward}, {c().station.city}
            </dd>
            <dt>{t('onlineSince')}</dt>
            <dd>{c().station.onlineSince ? time(c().station.onlineSince!) : t('unknown')}</dd>
          </dl>
          <div class="resident" data-testid="resident">
            <Switch>
              <Match when={!c().resident.identified}>
                <p>{t('residentNone')}</p>
              </Match>
              <Match when={c().resident.identified && 'person' in c().resident && (c().resident as { person: unknown }).person}>
                {(() => {
                  const p = (c().resident as Extract<CallerCardView['resident'], { person: object }>).person!;
                  return (
                    <>
                      <p class="person">
                        <strong>{p.name}</strong>
                        {p.age !== null ? ` · ${t('age', { n: p.age })}` : ''}
                        {p.sex ? ` · ${p.sex}` : ''}
                      </p>
                      <p class="checks">
                        {t('checks')}: {p.checks.access} ✓ · {t('checkPassive')} {p.checks.passive ? '✓' : '✗'} · {t('checkActive')}{' '}
                        {p.checks.active ? '✓' : '—'}
                      </p>
                    </>
                  );
                })()}
              </Match>
              <Match when={c().resident.identified}>
                <p>{t('residentIdentified')}</p>
              </Match>
            </Switch>
          </div>
          <Show when={props.answeredByMe}>
            <MedicalHandover callId={props.callId} />
          </Show>
          <details class="earlier">
            <summary>{t('earlier', { n: c().earlier.count })}</summary>
            <ul>
              <For each={c().earlier.recent}>
                {(e) => (
                  <li>
                    {time(e.createdAt)} · {e.outcome ? t(`o_${e.outcome}`) : t(`s_${e.status}`)}{' '}
                    <Show when={props.onOpen}>
                      <button type="button" class="link" onClick={() => props.onOpen?.(e.id)}>
                        {t('open')}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </details>
          <section class="timeline" aria-label={t('timeline')}>
            <h4>{t('timeline')}</h4>
            <ol>
              <For each={c().timeline}>
                {(x) => (
                  <li>
                    <time>{new Date(x.at).toLocaleTimeString('vi-VN')}</time> {describe(x)}
                  </li>
                )}
              </For>
            </ol>
          </section>
        </section>
      )}
    </Show>
  );
}
