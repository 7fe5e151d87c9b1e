// The officer's review queue of public-service submissions (ward police: police-domain services;
// commune officers: the commune committee's): each with the applicant, the form, the photos
// (each view audited by the hub), the promised date with overdue ones marked; approve, return
// with a reason, or mark done with a reference. A building manager sees the apartment-fee ledger
// here instead. Refreshes on `service.changed` and every 15 s.
import { For, Show, createResource, createSignal, on, createEffect, onCleanup, onMount } from 'solid-js';
import { serviceVersion } from './service-events.ts';
import { AUTHORITY_TITLES, serviceByCode, type FeeLedgerEntry, type StaffView, type SubmissionView } from '@tram/contracts';
import { t, type Key } from '../i18n.ts';

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json().catch(() => null);
  if (!r.ok) throw new Error(j?.error?.message ?? `HTTP ${r.status}`);
  return j as T;
}

const STATUSES = new Set(['submitted', 'returned', 'approved', 'done', 'forwarded']);
const statusText = (s: string) => (STATUSES.has(s) ? t(`dec_${s}` as Key) : s);
const day = (iso: string) => new Date(iso).toLocaleDateString('vi-VN');

export function Declarations(props: { me: StaffView }) {
  if (props.me.role === 'building_manager') return <FeeLedger />;
  if (props.me.role !== 'police' && props.me.role !== 'commune_officer') return null;
  const [queue, { refetch }] = createResource(() =>
    json<{ submissions: SubmissionView[] }>('GET', '/api/services/queue').then((r) => r.submissions),
  );
  const [notice, setNotice] = createSignal('');
  // live: a new, resubmitted or decided application of this officer's authority and wards
  createEffect(on(serviceVersion, () => void refetch(), { defer: true }));
  onMount(() => {
    const timer = setInterval(() => void refetch(), 15_000);
    onCleanup(() => clearInterval(timer));
  });
  const decide = async (s: SubmissionView, body: Record<string, string>) => {
    setNotice('');
    try {
      await json('POST', `/api/services/submissions/${s.id}/decision`, body);
    } catch (e) {
      setNotice((e as Error).message);
    }
    void refetch();
  };
  return (
    <section class="declarations" aria-label={t('tabDeclarations')}>
      <h2>{t('decHeading', { n: queue()?.filter((s) => s.status === 'submitted' || s.status === 'approved').length ?? 0 })}</h2>
      <Show when={notice()}>
        <p class="error" role="alert">
          {notice()}
        </p>
      </Show>
      <For each={queue()} fallback={<p>{t('decNone')}</p>}>
        {(s) => <Application s={s} decide={decide} />}
      </For>
    </section>
  );
}

function Application(props: { s: SubmissionView; decide: (s: SubmissionView, body: Record<string, string>) => Promise<void> }) {
  const [reason, setReason] = createSignal('');
  const [reference, setReference] = createSignal('');
  const svc = () => serviceByCode(props.s.service);
  const open = () => props.s.status === 'submitted' || props.s.status === 'approved';
  return (
    <article class="application" classList={{ overdue: props.s.overdue }} data-receipt={props.s.receipt} data-status={props.s.status}>
      <h3>
        {svc()?.title.vi ?? props.s.service} — {props.s.receipt}
      </h3>
      <div>
        {props.s.applicant?.fullName} ({props.s.applicant?.idNumber}) · {props.s.station?.name} · {AUTHORITY_TITLES[props.s.authority].vi}
      </div>
      <div>
        {statusText(props.s.status)} · {t('decSubmitted', { at: day(props.s.submittedAt) })} ·{' '}
        {t('decDue', { at: day(props.s.promisedBy) })}
        <Show when={props.s.overdue}>
          <strong class="overdue-flag"> · {t('decOverdue')}</strong>
        </Show>
      </div>
      <dl>
        <For each={svc()?.fields ?? []}>
          {(f) => (
            <>
              <dt>{f.label.vi}</dt>
              <dd>{JSON.stringify(props.s.fields[f.name] ?? '—').replace(/^"|"$/g, '')}</dd>
            </>
          )}
        </For>
      </dl>
      <For each={props.s.attachments}>
        {(a) => (
          <img
            class="attachment"
            alt={a.document}
            src={`/api/services/submissions/${props.s.id}/attachments/${a.id}`}
            loading="lazy"
            width="320"
          />
        )}
      </For>
      <Show when={open()}>
        <div class="decide">
          <Show when={props.s.status === 'submitted'}>
            <button type="button" onClick={() => props.decide(props.s, { decision: 'approve' })}>
              {t('decApprove')}
            </button>
          </Show>
          <label>
            {t('decReturnReason')} <input value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button
            type="button"
            disabled={reason().trim().length < 3}
            onClick={() => props.decide(props.s, { decision: 'return', reason: reason() })}
          >
            {t('decReturn')}
          </button>
          <label>
            {t('decReference')} <input value={reference()} onInput={(e) => setReference(e.currentTarget.value)} />
          </label>
          <button
            type="button"
            disabled={!reference().trim()}
            onClick={() => props.decide(props.s, { decision: 'done', reference: reference() })}
          >
            {t('decDone')}
          </button>
        </div>
      </Show>
      <ol class="history">
        <For each={props.s.history}>
          {(h) => (
            <li>
              {new Date(h.at).toLocaleString('vi-VN')} — {h.kind} — {h.actor}
              {h.note ? `: ${h.note}` : ''}
            </li>
          )}
        </For>
      </ol>
    </article>
  );
}

/** The building manager's apartment-fee ledger: enter a month's fee per apartment, see who paid. */
function FeeLedger() {
  const [period, setPeriod] = createSignal(new Date().toISOString().slice(0, 7));
  const [fees, { refetch }] = createResource(period, (p) =>
    json<{ fees: FeeLedgerEntry[] }>('GET', `/api/payments/ledger?period=${p}`).then((r) => r.fees),
  );
  const [form, setForm] = createSignal({ building: '', apartment: '', amountVnd: '', residentIdNumber: '' });
  const [notice, setNotice] = createSignal('');
  const set = (k: keyof ReturnType<typeof form>) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form(), [k]: e.currentTarget.value });
  const add = async (e: Event) => {
    e.preventDefault();
    setNotice('');
    try {
      await json('POST', '/api/payments/ledger', { ...form(), period: period(), amountVnd: Number(form().amountVnd) });
      setForm({ ...form(), apartment: '', residentIdNumber: '' });
      void refetch();
    } catch (err) {
      setNotice((err as Error).message);
    }
  };
  return (
    <section class="ledger" aria-label={t('feeRegion')}>
      <h2>{t('feeHeading')}</h2>
      <label>
        {t('feeMonth')} <input type="month" value={period()} onInput={(e) => setPeriod(e.currentTarget.value)} />
      </label>
      <form onSubmit={add}>
        <input placeholder={t('feeBuilding')} value={form().building} onInput={set('building')} aria-label={t('feeBuilding')} />
        <input placeholder={t('feeApartment')} value={form().apartment} onInput={set('apartment')} aria-label={t('feeApartment')} />
        <input
          placeholder={t('feeAmountHint')}
          inputmode="numeric"
          value={form().amountVnd}
          onInput={set('amountVnd')}
          aria-label={t('feeAmount')}
        />
        <input
          placeholder={t('feeResidentIdHint')}
          inputmode="numeric"
          value={form().residentIdNumber}
          onInput={set('residentIdNumber')}
          aria-label={t('feeResidentId')}
        />
        <button type="submit">{t('feeEnter')}</button>
      </form>
      <Show when={notice()}>
        <p class="error" role="alert">
          {notice()}
        </p>
      </Show>
      <table>
        <thead>
          <tr>
            <th>{t('feeBuilding')}</th>
            <th>{t('feeApartment')}</th>
            <th>{t('feeAmount')}</th>
            <th>{t('feePaid')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={fees()}>
            {(f) => (
              <tr data-apartment={f.apartment}>
                <td>{f.building}</td>
                <td>{f.apartment}</td>
                <td>{f.amountVnd.toLocaleString('vi-VN')} đ</td>
                <td>{f.paidAt ? `✓ ${day(f.paidAt)} · ${f.reference}` : t('feeNotYet')}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
