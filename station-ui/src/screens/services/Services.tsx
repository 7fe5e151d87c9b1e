// Public services at the kiosk: categories and search; for each service two sentences on what it
// is, what is needed and how long it takes, before any form; the form prefilled from the chip and
// asking only what is missing, one question per screen; photos of the documents; one review
// screen; a receipt with a QR code. "My applications" shows every submission with its history,
// and a returned one can be fixed and sent again.
import { For, Match, Show, Switch, createMemo, createResource, createSignal } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  CATEGORIES,
  CATEGORY_TITLES,
  AUTHORITY_TITLES,
  SERVICES,
  serviceByCode,
  type Category,
  type PrefillView,
  type ServiceDeclaration,
  type SubmissionView,
} from '@tram/contracts';
import { go } from '../../state/navigation.ts';
import { lang } from '../../i18n/index.ts';
import { HubError, getMine, getPrefill, newKey, resubmitForm, submitForm, type Photo as PhotoBody } from './api.ts';
import { Field } from './Field.tsx';
import { Photo } from './Photo.tsx';
import { Qr } from './Qr.tsx';
import { PrintStatus } from './PrintStatus.tsx';
import { vnDate } from './print.ts';
import { Keyboard } from './Keyboard.tsx';
import { SubmissionCard, kioskDate } from './SubmissionCard.tsx';
import { s, tr } from './strings.ts';
import './services.css';

type View =
  | { v: 'catalogue' }
  | { v: 'about'; service: ServiceDeclaration }
  | { v: 'form'; service: ServiceDeclaration; step: number; resubmit?: SubmissionView }
  | { v: 'review'; service: ServiceDeclaration; resubmit?: SubmissionView }
  | { v: 'receipt'; submission: SubmissionView }
  | { v: 'mine' };

/** A hub message in the page's language ("vi / en"). */
export const pick = (m: string) => {
  const [vi, en] = m.split(' / ');
  return lang() === 'vi' || !en ? vi! : en;
};
const date = kioskDate;
const fold = (t: string) =>
  t
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase();

export function Services() {
  const [view, setView] = createSignal<View>({ v: 'catalogue' });
  const [category, setCategory] = createSignal<Category | null>(null);
  const [query, setQuery] = createSignal('');
  const [searching, setSearching] = createSignal(false);
  const [prefill] = createResource(getPrefill);
  const [values, setValues] = createStore<Record<string, unknown>>({});
  const [photos, setPhotos] = createStore<Record<string, string>>({});
  const [errors, setErrors] = createStore<Record<string, string>>({});
  const [formError, setFormError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let key = newKey();

  const list = createMemo(() =>
    SERVICES.filter((x) => !category() || x.category === category()).filter(
      (x) => !query() || fold(`${x.title.vi} ${x.title.en}`).includes(fold(query())),
    ),
  );
  const prefilledValue = (p: PrefillView | undefined, name: keyof PrefillView) => p?.[name] ?? null;
  /** The questions the resident is asked: every field the chip did not fill. */
  const asked = (svc: ServiceDeclaration) => svc.fields.filter((f) => !f.prefill || !prefilledValue(prefill(), f.prefill));
  const fromCard = (svc: ServiceDeclaration) => svc.fields.filter((f) => f.prefill && prefilledValue(prefill(), f.prefill));
  /** Questions, then one screen per document to photograph. */
  const steps = (svc: ServiceDeclaration) => [...asked(svc).map((f) => ({ field: f })), ...svc.documents.map((d) => ({ doc: d }))];

  function open(svc: ServiceDeclaration) {
    if (svc.delivery === 'payment') return go('bills');
    setView({ v: 'about', service: svc });
  }
  function begin(svc: ServiceDeclaration, resubmit?: SubmissionView) {
    setValues(reconcile(resubmit ? { ...resubmit.fields } : {}));
    setPhotos(reconcile({}));
    setErrors(reconcile({}));
    setFormError('');
    key = newKey();
    setView({ v: 'form', service: svc, step: 0, resubmit });
  }
  function nextStep(svc: ServiceDeclaration, step: number, resubmit?: SubmissionView) {
    const st = steps(svc)[step];
    if (st && 'field' in st && st.field.required && st.field.kind !== 'members') {
      const v = values[st.field.name];
      if (v === undefined || v === null || String(v).trim() === '') {
        setErrors(st.field.name, lang() === 'vi' ? 'Hãy điền mục này' : 'Please fill this in');
        return;
      }
    }
    if (st && 'doc' in st && st.doc.required && !photos[st.doc.code] && !resubmit) {
      setErrors(`doc:${st.doc.code}`, lang() === 'vi' ? `Cần ảnh: ${st.doc.label.vi}` : `A photo is needed: ${st.doc.label.en}`);
      return;
    }
    if (step + 1 < steps(svc).length) setView({ v: 'form', service: svc, step: step + 1, resubmit });
    else setView({ v: 'review', service: svc, resubmit });
  }
  async function send(svc: ServiceDeclaration, resubmit?: SubmissionView) {
    setBusy(true);
    setFormError('');
    setErrors(reconcile({}));
    const fields: Record<string, unknown> = {};
    for (const f of asked(svc)) if (values[f.name] !== undefined && values[f.name] !== '') fields[f.name] = values[f.name];
    const attachments: PhotoBody[] = Object.entries(photos).map(([document, data]) => ({ document, contentType: 'image/jpeg', data }));
    try {
      const sub = resubmit ? await resubmitForm(resubmit.id, fields, attachments) : await submitForm(key, svc.code, fields, attachments);
      setView({ v: 'receipt', submission: sub });
    } catch (e) {
      const issues = e instanceof HubError ? e.issues : [];
      for (const i of issues) {
        const m = /^fields\.([^.]+)/.exec(i.path);
        const a = /^attachments\.([a-z_]+)$/.exec(i.path);
        if (m) setErrors(m[1]!, pick(i.message));
        else if (a) setErrors(`doc:${a[1]}`, pick(i.message));
      }
      setFormError(issues.length ? s().fixBelow : e instanceof HubError ? pick(e.message) : s().loadError);
      // back to the first question that needs fixing, the message beside its field
      const first = steps(svc).findIndex((st) => ('field' in st ? errors[st.field.name] : errors[`doc:${st.doc.code}`]));
      if (first >= 0) setView({ v: 'form', service: svc, step: first, resubmit });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page services">
      <Switch>
        <Match when={view().v === 'catalogue'}>
          <div class="services-head">
            <h2>{s().title}</h2>
            <button type="button" class="secondary" onClick={() => setView({ v: 'mine' })}>
              {s().mine}
            </button>
          </div>
          <div class="categories">
            <button type="button" class="cat" classList={{ chosen: !category() }} onClick={() => setCategory(null)}>
              {lang() === 'vi' ? 'Tất cả' : 'All'}
            </button>
            <For each={CATEGORIES}>
              {(c) => (
                <button type="button" class="cat" classList={{ chosen: category() === c }} onClick={() => setCategory(c)}>
                  {tr(CATEGORY_TITLES[c])}
                </button>
              )}
            </For>
          </div>
          <div class="search">
            <input
              class="big-input"
              placeholder={s().searchPlaceholder}
              aria-label={s().search}
              value={query()}
              onFocus={() => setSearching(true)}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
            <Show when={searching()}>
              <Keyboard value={query()} onChange={setQuery} />
            </Show>
          </div>
          <ul class="catalogue">
            <For each={list()} fallback={<li class="muted">{s().noResults}</li>}>
              {(svc) => (
                <li>
                  <button type="button" class="panel item service-item" data-service={svc.code} onClick={() => open(svc)}>
                    <span class="item-title">{tr(svc.title)}</span>
                    <span class="muted">{tr(AUTHORITY_TITLES[svc.authority])}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Match>

        <Match when={view().v === 'about' && (view() as Extract<View, { v: 'about' }>)}>
          {(a) => {
            const svc = a().service;
            return (
              <div class="about panel">
                <h2>{tr(svc.title)}</h2>
                <p class="about-text">{tr(svc.about)}</p>
                <dl class="facts">
                  <dt>{s().handledBy}</dt>
                  <dd>{tr(AUTHORITY_TITLES[svc.authority])}</dd>
                  <dt>{s().needed}</dt>
                  <dd>{svc.documents.length ? svc.documents.map((d) => tr(d.label)).join(', ') : s().nothingNeeded}</dd>
                  <dt>{s().fee}</dt>
                  <dd>{svc.feeVnd ? s().vnd(svc.feeVnd) : s().free}</dd>
                  <dt>{s().takes}</dt>
                  <dd>{s().days(svc.processingDays)}</dd>
                  <Show when={svc.joint}>
                    <dt>{s().joint}</dt>
                    <dd>{svc.joint!.map(tr).join('; ')}</dd>
                  </Show>
                </dl>
                <Show when={svc.delivery === 'forwarded'}>
                  <p class="muted">{s().forwarded}</p>
                </Show>
                <div class="actions">
                  <button type="button" class="secondary" onClick={() => setView({ v: 'catalogue' })}>
                    {s().back}
                  </button>
                  <button type="button" class="primary" onClick={() => begin(svc)}>
                    {s().start}
                  </button>
                </div>
              </div>
            );
          }}
        </Match>

        <Match when={view().v === 'form' && (view() as Extract<View, { v: 'form' }>)} keyed>
          {(f) => {
            const all = steps(f.service);
            const st = all[f.step]!;
            return (
              <div class="form">
                <p class="muted step-of">
                  {tr(f.service.title)} · {s().question(f.step + 1, all.length)}
                </p>
                <Show when={f.resubmit?.returnReason}>
                  <p class="panel note returned-reason">
                    {s().reasonReturned}: {f.resubmit!.returnReason}
                  </p>
                </Show>
                <Show when={f.step === 0 && fromCard(f.service).length}>
                  <div class="panel from-card">
                    <strong>{s().fromCard}</strong>
                    <For each={fromCard(f.service)}>
                      {(fc) => (
                        <div>
                          {tr(fc.label)}: <b>{prefilledValue(prefill(), fc.prefill!)}</b>
                        </div>
                      )}
                    </For>
                  </div>
                </Show>
                <Show when={formError()}>
                  <p class="field-error form-error" role="alert">
                    {formError()}
                  </p>
                </Show>
                {'field' in st ? (
                  <Field
                    field={st.field}
                    value={values[st.field.name]}
                    onChange={(v) => {
                      setValues(st.field.name, v as never);
                      setErrors(st.field.name, '');
                    }}
                    error={errors[st.field.name] || undefined}
                  />
                ) : (
                  <Photo
                    label={tr(st.doc.label)}
                    value={photos[st.doc.code]}
                    onTaken={(b) => {
                      setPhotos(st.doc.code, b);
                      setErrors(`doc:${st.doc.code}`, '');
                    }}
                    error={errors[`doc:${st.doc.code}`] || undefined}
                  />
                )}
                <div class="actions">
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      f.step === 0
                        ? setView(f.resubmit ? { v: 'mine' } : { v: 'about', service: f.service })
                        : setView({ ...f, step: f.step - 1 })
                    }
                  >
                    {s().back}
                  </button>
                  <button type="button" class="primary next" onClick={() => nextStep(f.service, f.step, f.resubmit)}>
                    {s().next}
                  </button>
                </div>
              </div>
            );
          }}
        </Match>

        <Match when={view().v === 'review' && (view() as Extract<View, { v: 'review' }>)} keyed>
          {(r) => (
            <div class="review">
              <h2>{s().review}</h2>
              <p class="muted">{tr(r.service.title)}</p>
              <Show when={formError()}>
                <p class="field-error form-error" role="alert">
                  {formError()}
                </p>
              </Show>
              <dl class="panel review-list">
                <For each={r.service.fields}>
                  {(f) => {
                    const value = () => (f.prefill && prefilledValue(prefill(), f.prefill)) || values[f.name];
                    const shown = () => {
                      const v = value();
                      if (Array.isArray(v))
                        return v.map((m: { fullName: string; idNumber: string }) => `${m.fullName} (${m.idNumber})`).join(', ') || '—';
                      const o = f.options?.find((x) => x.value === v);
                      return o ? tr(o.label) : v === undefined || v === '' ? '—' : String(v);
                    };
                    const step = () => steps(r.service).findIndex((st) => 'field' in st && st.field.name === f.name);
                    return (
                      <div class="review-row" data-field={f.name}>
                        <dt>{tr(f.label)}</dt>
                        <dd>{shown()}</dd>
                        <Show when={step() >= 0}>
                          <button
                            type="button"
                            class="secondary small"
                            onClick={() => setView({ v: 'form', service: r.service, step: step(), resubmit: r.resubmit })}
                          >
                            {s().edit}
                          </button>
                        </Show>
                      </div>
                    );
                  }}
                </For>
                <For each={r.service.documents}>
                  {(d) => (
                    <div class="review-row">
                      <dt>{tr(d.label)}</dt>
                      <dd>{photos[d.code] ? '📷 ✓' : r.resubmit ? '✓' : '—'}</dd>
                    </div>
                  )}
                </For>
              </dl>
              <div class="actions">
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setView({ v: 'form', service: r.service, step: steps(r.service).length - 1, resubmit: r.resubmit })}
                >
                  {s().back}
                </button>
                <button type="button" class="primary submit" disabled={busy()} onClick={() => send(r.service, r.resubmit)}>
                  {busy() ? s().sending : s().submit}
                </button>
              </div>
            </div>
          )}
        </Match>

        <Match when={view().v === 'receipt' && (view() as Extract<View, { v: 'receipt' }>)} keyed>
          {(r) => (
            <div class="receipt panel">
              <h2>{s().receiptTitle}</h2>
              <p>{tr(serviceByCode(r.submission.service)!.title)}</p>
              <div class="receipt-body">
                <dl>
                  <dt>{s().receiptNo}</dt>
                  <dd class="receipt-no">{r.submission.receipt}</dd>
                  <dt>{s().promised}</dt>
                  <dd class="promised">{date(r.submission.promisedBy)}</dd>
                </dl>
                <figure>
                  <Qr text={r.submission.statusQr ?? `TRAM:${r.submission.receipt}`} label={s().scanToCheck} size={220} />
                  <figcaption class="muted">{s().scanToCheck}</figcaption>
                </figure>
              </div>
              <PrintStatus
                body={{
                  kind: 'submission',
                  title: serviceByCode(r.submission.service)!.title.vi,
                  receipt: r.submission.receipt,
                  promisedBy: vnDate(r.submission.promisedBy),
                  ...(r.submission.statusQr ? { qr: r.submission.statusQr } : {}),
                }}
              />
              <div class="actions">
                <button type="button" class="primary" onClick={() => setView({ v: 'catalogue' })}>
                  {s().done}
                </button>
              </div>
            </div>
          )}
        </Match>

        <Match when={view().v === 'mine'}>
          <Mine back={() => setView({ v: 'catalogue' })} fix={(sub) => begin(serviceByCode(sub.service)!, sub)} />
        </Match>
      </Switch>
    </section>
  );
}

function Mine(props: { back: () => void; fix: (s: SubmissionView) => void }) {
  const [mine] = createResource(getMine);
  return (
    <div class="mine">
      <div class="services-head">
        <h2>{s().mine}</h2>
        <button type="button" class="secondary" onClick={props.back}>
          {s().back}
        </button>
      </div>
      <Show when={!mine.error} fallback={<p class="panel note">{s().loadError}</p>}>
        <ul class="submissions">
          <For each={mine()} fallback={<li class="muted">{mine.loading ? '…' : s().noSubmissions}</li>}>
            {(sub) => (
              <SubmissionCard
                sub={sub}
                returned={
                  <button type="button" class="primary fix" onClick={() => props.fix(sub)}>
                    {s().fixAndResend}
                  </button>
                }
              />
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
