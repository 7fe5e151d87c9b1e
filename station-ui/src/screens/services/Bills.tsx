// Paying at the kiosk: the resident's apartment fees (from the building office's ledger) and
// bills looked up by customer code (electricity, water, traffic fines, household health
// insurance). Paying shows a VietQR code; the screen says "Đã thanh toán" the moment the bank's
// notification reaches the hub (a realtime event through the agent).
import { For, Show, createResource, createSignal } from 'solid-js';
import { SERVICES, type PayableView, type PaymentView } from '@tram/contracts';
import { NeedsCard } from '../NeedsCard.tsx';
import { HubError, getFees, lookupBills, newKey, startPayment } from './api.ts';
import { isPaid } from './payments-state.ts';
import { Keyboard } from './Keyboard.tsx';
import { Qr } from './Qr.tsx';
import { PrintStatus } from './PrintStatus.tsx';
import { ReportedNote } from './ReportedNote.tsx';
import { pick } from './Services.tsx';
import { s, tr } from './strings.ts';
import './services.css';

const PROVIDERS = {
  electricity: 'electricity',
  water: 'water',
  traffic_fine: 'traffic_fine',
  health_insurance: 'health_insurance',
} as const;
type Tab = 'apartment_fee' | keyof typeof PROVIDERS;

export function Bills() {
  return (
    <NeedsCard why={s().billsNeedCard}>
      <BillsInner />
    </NeedsCard>
  );
}

function BillsInner() {
  const [tab, setTab] = createSignal<Tab>('apartment_fee');
  const [payment, setPayment] = createSignal<PaymentView | null>(null);
  const [payingFor, setPayingFor] = createSignal('');
  const [payingBill, setPayingBill] = createSignal(false);
  const [error, setError] = createSignal('');
  const [fees, { refetch }] = createResource(getFees);
  const [code, setCode] = createSignal('');
  const [bills, setBills] = createSignal<PayableView[] | null>(null);
  const tabs = SERVICES.filter((x) => x.delivery === 'payment');

  async function pay(p: PayableView) {
    setError('');
    try {
      // the printer takes a title of at most 120 characters (a provider's description may be longer)
      setPayingFor(`${p.title} · ${p.period}`.slice(0, 120));
      setPayingBill(p.kind === 'bill');
      setPayment(await startPayment(newKey(), p.id));
    } catch (e) {
      setError(e instanceof HubError ? pick(e.message) : s().loadError);
    }
  }
  async function lookup() {
    setError('');
    setBills(null);
    try {
      setBills(await lookupBills(PROVIDERS[tab() as keyof typeof PROVIDERS], code().trim()));
    } catch (e) {
      setError(e instanceof HubError ? pick(e.issues[0]?.message ?? e.message) : s().loadError);
    }
  }
  const paid = () => {
    const p = payment();
    return !!p && (p.status === 'paid' || isPaid(p.id));
  };

  const row = (p: PayableView) => (
    <li class="panel payable" data-payable={p.id}>
      <span>
        <strong>{p.title}</strong> · {p.period}
      </span>
      <span>{s().vnd(p.amountVnd)}</span>
      <Show when={!p.paid} fallback={<span class="badge ok">{s().paid}</span>}>
        <button type="button" class="primary pay" onClick={() => pay(p)}>
          {s().pay}
        </button>
      </Show>
    </li>
  );

  return (
    <section class="page services bills">
      <h2>{s().billsTitle}</h2>
      <Show
        when={payment()}
        fallback={
          <>
            <div class="tabs">
              <For each={tabs}>
                {(x) => (
                  <button
                    type="button"
                    class="cat"
                    data-tab={x.code}
                    classList={{ chosen: tab() === x.code }}
                    onClick={() => {
                      setTab(x.code as Tab);
                      setBills(null);
                      setCode('');
                      setError('');
                    }}
                  >
                    {tr(x.title)}
                  </button>
                )}
              </For>
            </div>
            <Show when={error()}>
              <p class="field-error" role="alert">
                {error()}
              </p>
            </Show>
            <Show
              when={tab() === 'apartment_fee'}
              fallback={
                <div class="lookup">
                  <label class="field-label" for="customer-code">
                    {tr(SERVICES.find((x) => x.code === tab())!.fields[0]!.label)}
                  </label>
                  <input id="customer-code" class="big-input" value={code()} onInput={(e) => setCode(e.currentTarget.value)} />
                  <Keyboard value={code()} onChange={setCode} />
                  <div class="actions">
                    <button type="button" class="primary" onClick={lookup} disabled={!code().trim()}>
                      {s().lookup}
                    </button>
                  </div>
                  <Show when={bills()}>
                    {(b) => (
                      <ul class="catalogue">
                        <For each={b()} fallback={<li class="muted">{s().noBills}</li>}>
                          {row}
                        </For>
                      </ul>
                    )}
                  </Show>
                </div>
              }
            >
              <ul class="catalogue">
                <For each={fees()} fallback={<li class="muted">{fees.loading ? '…' : s().noFees}</li>}>
                  {row}
                </For>
              </ul>
            </Show>
          </>
        }
      >
        {(p) => (
          <div class="panel payment" data-reference={p().reference}>
            <Show
              when={paid()}
              fallback={
                <div class="vietqr">
                  <Qr text={p().vietqr} label="VietQR" size={300} />
                  <div>
                    <p>{s().scanToPay}</p>
                    <p>
                      {s().amount}: <strong>{s().vnd(p().amountVnd)}</strong>
                    </p>
                    <p>
                      {s().content}: <strong class="reference">{p().reference}</strong>
                    </p>
                    <p class="muted">
                      {p().payee.name} · {p().payee.account}
                    </p>
                    <p class="muted waiting">{s().waitingPayment}</p>
                  </div>
                </div>
              }
            >
              <p class="paid-banner" role="status">
                ✓ {s().paid}
              </p>
              <p>{s().paidThanks}</p>
              <p>
                {s().vnd(p().amountVnd)} · {p().reference}
              </p>
              <Show when={payingBill()}>
                <ReportedNote paymentId={p().id} />
              </Show>
              <PrintStatus
                body={{ kind: 'payment', title: payingFor() || s().billsTitle, receipt: p().reference, amountVnd: p().amountVnd }}
              />
            </Show>
            <div class="actions">
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setPayment(null);
                  void refetch();
                }}
              >
                {s().back}
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
