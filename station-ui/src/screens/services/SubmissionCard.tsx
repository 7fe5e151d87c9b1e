// One application as the resident sees it: service, status (overdue said in words), receipt,
// promised date, reference, the reason it was returned and its history. Shared by "Hồ sơ của tôi"
// (card) and the lookup by the receipt's QR (no card); `returned` holds what to offer on a
// returned application (the card view's "fix and resend").
import { For, type JSX, Show } from 'solid-js';
import { serviceByCode, type ReceiptStatusView } from '@tram/contracts';
import { lang } from '../../i18n/index.ts';
import { s, tr } from './strings.ts';

export const kioskDate = (iso: string) => new Date(iso).toLocaleDateString(lang() === 'vi' ? 'vi-VN' : 'en-GB');

export function SubmissionCard(props: { sub: ReceiptStatusView; returned?: JSX.Element }) {
  return (
    <li class="panel submission" data-receipt={props.sub.receipt} data-status={props.sub.status}>
      <div class="submission-head">
        <strong>{tr(serviceByCode(props.sub.service)!.title)}</strong>
        <span class="badge status-badge" classList={{ overdue: props.sub.overdue }}>
          {s().status[props.sub.status]}
          {props.sub.overdue ? ` · ${s().overdue}` : ''}
        </span>
      </div>
      <div class="muted">
        {s().receiptNo}: {props.sub.receipt} · {s().promised}: {kioskDate(props.sub.promisedBy)}
        <Show when={props.sub.reference}>
          {' '}
          · {s().reference}: {props.sub.reference}
        </Show>
      </div>
      <Show when={props.sub.status === 'returned'}>
        <p class="note returned-reason">
          {s().reasonReturned}: {props.sub.returnReason}
        </p>
        {props.returned}
      </Show>
      <ol class="history">
        <For each={props.sub.history}>
          {(h) => (
            <li data-kind={h.kind}>
              {kioskDate(h.at)} — {s().event[h.kind]}
              <Show when={h.note && h.kind !== 'forward_failed'}>: {h.note}</Show>
            </li>
          )}
        </For>
      </ol>
    </li>
  );
}
