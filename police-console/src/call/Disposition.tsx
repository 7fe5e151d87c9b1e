// The outcome of a call, required after hang-up: the answering officer picks one and may add a
// report; the hub keeps it editable for 24 h from the first save, then locks it.
import { For, Show, createSignal } from 'solid-js';
import { CALL_OUTCOMES, type CallOutcome, type DispositionView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

export function Disposition(props: { callId: string; initial: DispositionView | null; onSaved?: (d: DispositionView) => void }) {
  const [outcome, setOutcome] = createSignal<CallOutcome | null>(props.initial?.outcome ?? null);
  const [report, setReport] = createSignal(props.initial?.report ?? '');
  const [saved, setSaved] = createSignal<DispositionView | null>(props.initial);
  const [error, setError] = createSignal('');
  const locked = () => !!saved() && Date.parse(saved()!.locksAt) <= Date.now();
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const o = outcome();
    if (!o) return setError(t('chooseOutcome'));
    setError('');
    const r = await api.api.calls[':id'].disposition.$put({ param: { id: props.callId }, json: { outcome: o, report: report() } });
    if (!r.ok) return setError((await errorOf(r, 'Error')).message);
    const d = (await r.json()).disposition as DispositionView;
    setSaved(d);
    props.onSaved?.(d);
  };
  return (
    <form class="disposition" aria-label={t('dispositionHeading')} onSubmit={save}>
      <h3>{t('dispositionHeading')}</h3>
      <fieldset disabled={locked()}>
        <legend>{t('outcome')}</legend>
        <For each={CALL_OUTCOMES}>
          {(o) => (
            <label>
              <input type="radio" name="outcome" value={o} checked={outcome() === o} onChange={() => setOutcome(o)} /> {t(`o_${o}`)}
            </label>
          )}
        </For>
      </fieldset>
      <label class="report">
        {t('report')}
        <textarea maxLength={4000} rows={3} value={report()} disabled={locked()} onInput={(e) => setReport(e.currentTarget.value)} />
      </label>
      <Show when={!locked()}>
        <button type="submit" class="save">
          {t('save')}
        </button>
      </Show>
      <Show when={saved()}>
        {(s) => (
          <p class="saved" role="status">
            {locked()
              ? t('locked', { at: new Date(s().locksAt).toLocaleString('vi-VN') })
              : t('saved', { at: new Date(s().locksAt).toLocaleString('vi-VN') })}
          </p>
        )}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </form>
  );
}
