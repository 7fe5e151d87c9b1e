// The waiting room as the hub orders it (urgency, then waiting time): who, why, latest vitals
// with early-warning flags, how long they have waited. Urgent entries are highlighted.
import { For, Show, type JSX } from 'solid-js';
import type { QueueEntry, StaffView } from '@tram/contracts';
import {
  ABNORMAL_TEXT,
  KIND_LABEL,
  KIND_ORDER,
  abnormal,
  flagText,
  reasonText,
  sexText,
  timeText,
  unitText,
  valueText,
  waitedText,
} from '../vitals/format.ts';

const URGENCY = ['Thường / Routine', 'Cần chú ý / Flagged', 'Khẩn / Urgent'];

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
      <section aria-label="Hàng chờ khám / Waiting room">
        <h2>Hàng chờ khám / Waiting room ({waiting().length})</h2>
        <For each={waiting()} fallback={<p class="muted">Không có ai đang chờ / Nobody is waiting</p>}>
          {(e) => (
            <Entry
              entry={e}
              now={props.now}
              action={
                <button type="button" class="accept" disabled={props.busy} onClick={() => props.onAccept(e)}>
                  Nhận khám / Accept
                </button>
              }
            />
          )}
        </For>
      </section>
      <Show when={inCall().length}>
        <section aria-label="Đang khám / In consultation">
          <h2>Đang khám / In consultation ({inCall().length})</h2>
          <For each={inCall()}>
            {(e) => (
              <Entry
                entry={e}
                now={props.now}
                action={
                  e.clinician?.username === props.me.username ? (
                    <button type="button" class="accept" disabled={props.busy} onClick={() => props.onRejoin(e)}>
                      Vào lại / Rejoin
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
            <span class="badge urgent">KHẨN / URGENT</span>
          </Show>
        </h3>
        <div>
          {e().patient.age ?? '—'} tuổi / y · {sexText(e().patient.sex)} · {e().station.name}
        </div>
        <div>
          <b>{reasonText(e().reason)}</b>
          <Show when={e().note}> — “{e().note}”</Show>
        </div>
        <div class="muted">
          Chờ / Waiting: <span data-testid="waited">{waitedText(e().waitingSince, props.now)}</span> · {URGENCY[e().urgency]}
        </div>
      </div>
      <div class="signs">
        <ul class="vitals">
          <For each={vitals()} fallback={<li class="muted">Chưa đo sinh hiệu / No vitals measured</li>}>
            {(v) => {
              // out of the normal band: said in words, not only in colour (e.g. BP 148/92 "↑ cao")
              const off = abnormal(v.kind, v);
              return (
                <li class={v.flag || off ? 'flagged' : ''} data-kind={v.kind} title={`${timeText(v.at)}`}>
                  <span class="k">{KIND_LABEL[v.kind]}</span> <b>{valueText(v)}</b> {unitText(v.unit)}
                  <Show when={off}>{(o) => <span class="abnormal"> {ABNORMAL_TEXT[o()]}</span>}</Show>
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={e().flags.length}>
          <ul class="flags" aria-label="Cảnh báo / Early-warning flags">
            <For each={e().flags}>{(f) => <li>⚠ {flagText(f)}</li>}</For>
          </ul>
        </Show>
      </div>
      <div class="action">{props.action}</div>
    </article>
  );
}
