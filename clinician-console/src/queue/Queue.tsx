// The waiting room as the hub orders it (urgency, then waiting time): who, why, latest vitals
// with early-warning flags, how long they have waited. Urgent entries are highlighted.
import { For, Show, type JSX } from 'solid-js';
import type { QueueEntry, StaffView } from '@tram/contracts';
import { t } from '../i18n.ts';
import {
  KIND_ORDER,
  abnormal,
  abnormalText,
  flagText,
  kindText,
  reasonText,
  sexText,
  timeText,
  unitText,
  valueText,
  waitedText,
} from '../vitals/format.ts';

const URGENCY = ['urgency0', 'urgency1', 'urgency2'] as const;

export function Queue(props: {
  entries: QueueEntry[];
  now: number;
  me: StaffView;
  busy: boolean;
  onAccept(e: QueueEntry): void;
  onRejoin(e: QueueEntry): void;
}) {
  const waiting = () => props.entries.filter((e) => e.status === 'waiting');
  const inCall = () => props.entries.filter((e) => e.status === 'in_call');
  return (
    <>
      <section aria-label={t('waitingRoom')}>
        <h2>{t('waitingRoomCount', { n: waiting().length })}</h2>
        <For each={waiting()} fallback={<p class="muted">{t('nobodyWaiting')}</p>}>
          {(e) => (
            <Entry
              entry={e}
              now={props.now}
              action={
                <button type="button" class="accept" disabled={props.busy} onClick={() => props.onAccept(e)}>
                  {t('accept')}
                </button>
              }
            />
          )}
        </For>
      </section>
      <Show when={inCall().length}>
        <section aria-label={t('inConsultation')}>
          <h2>{t('inConsultationCount', { n: inCall().length })}</h2>
          <For each={inCall()}>
            {(e) => (
              <Entry
                entry={e}
                now={props.now}
                action={
                  e.clinician?.username === props.me.username ? (
                    <button type="button" class="accept" disabled={props.busy} onClick={() => props.onRejoin(e)}>
                      {t('rejoin')}
                    </button>
                  ) : (
                    <span class="muted">{e.clinician?.displayName}</span>
                  )
                }
              />
            )}
          </For>
        </section>
      </Show>
    </>
  );
}

function Entry(props: { entry: QueueEntry; now: number; action: JSX.Element }) {
  const e = () => props.entry;
  const vitals = () => [...e().vitals].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return (
    <article class={`consult urgency${e().urgency}`} data-consult-id={e().id} aria-label={e().patient.name}>
      <div class="who">
        <h3>
          {e().patient.name}{' '}
          <Show when={e().urgency >= 2}>
            <span class="badge urgent">{t('urgentBadge')}</span>
          </Show>
        </h3>
        <div>
          {t('age', { n: e().patient.age ?? '—' })} · {sexText(e().patient.sex)} · {e().station.name}
        </div>
        <div>
          <b>{reasonText(e().reason)}</b>
          <Show when={e().note}> — “{e().note}”</Show>
        </div>
        <div class="muted">
          {t('waited')} <span data-testid="waited">{waitedText(e().waitingSince, props.now)}</span> ·{' '}
          {t(URGENCY[e().urgency] ?? 'urgency0')}
        </div>
      </div>
      <div class="signs">
        <ul class="vitals">
          <For each={vitals()} fallback={<li class="muted">{t('noVitals')}</li>}>
            {(v) => {
              // out of the normal band: said in words, not only in colour (e.g. BP 148/92 "↑ cao")
              const off = abnormal(v.kind, v);
              return (
                <li class={v.flag || off ? 'flagged' : ''} data-kind={v.kind} title={`${timeText(v.at)}`}>
                  <span class="k">{kindText(v.kind)}</span> <b>{valueText(v)}</b> {unitText(v.unit)}
                  <Show when={off}>{(o) => <span class="abnormal"> {abnormalText(o())}</span>}</Show>
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={e().flags.length}>
          <ul class="flags" aria-label={t('flags')}>
            <For each={e().flags}>{(f) => <li>⚠ {flagText(f)}</li>}</For>
          </ul>
        </Show>
      </div>
      <div class="action">{props.action}</div>
    </article>
  );
}
