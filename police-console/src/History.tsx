// Search past calls (ward, station, dates, outcome, officer), open any call's card and timeline,
// and download the search as CSV (the hub audits every export).
import { For, Show, createSignal } from 'solid-js';
import { CALL_OUTCOMES, type HistoryView } from '@tram/contracts';
import { api } from '@tram/console-ui/hub';
import { t } from './i18n.ts';

export function History(props: { onOpen: (id: string) => void }) {
  const [query, setQuery] = createSignal<Record<string, string>>({});
  const [result, setResult] = createSignal<HistoryView | null>(null);
  const search = async (e?: SubmitEvent) => {
    e?.preventDefault();
    const f = e ? new FormData(e.currentTarget as HTMLFormElement) : new FormData();
    const q: Record<string, string> = {};
    for (const k of ['ward', 'station', 'outcome', 'officer']) {
      const v = String(f.get(k) ?? '').trim();
      if (v) q[k] = v;
    }
    // dates are local days: from the start of `from` to the end of `to`
    const from = String(f.get('from') ?? ''),
      to = String(f.get('to') ?? '');
    if (from) q.from = new Date(`${from}T00:00:00`).toISOString();
    if (to) q.to = new Date(new Date(`${to}T00:00:00`).getTime() + 86_400_000).toISOString();
    setQuery(q);
    const r = await api.api.calls.history.$get({ query: q });
    if (r.ok) setResult((await r.json()) as HistoryView);
  };
  const csvHref = () => `/api/calls/history?${new URLSearchParams({ ...query(), format: 'csv' })}`;
  return (
    <section class="history" aria-label={t('tabHistory')}>
      <form class="search" onSubmit={search}>
        <label>
          {t('hFrom')} <input type="date" name="from" />
        </label>
        <label>
          {t('hTo')} <input type="date" name="to" />
        </label>
        <label>
          {t('hWard')} <input name="ward" inputmode="numeric" size={4} />
        </label>
        <label>
          {t('hStation')} <input name="station" size={16} />
        </label>
        <label>
          {t('outcome')}{' '}
          <select name="outcome">
            <option value="">{t('hAny')}</option>
            <For each={CALL_OUTCOMES}>{(o) => <option value={o}>{t(`o_${o}`)}</option>}</For>
          </select>
        </label>
        <label>
          {t('hOfficer')} <input name="officer" size={12} />
        </label>
        <button type="submit">{t('hSearch')}</button>
        <Show when={result()}>
          <a class="button" href={csvHref()} download="">
            {t('hExport')}
          </a>
        </Show>
      </form>
      <Show when={result()}>
        {(r) => (
          <>
            <Show when={r().truncated}>
              <p>{t('hTruncated')}</p>
            </Show>
            <table>
              <thead>
                <tr>
                  <th>{t('hTime')}</th>
                  <th>{t('ward')}</th>
                  <th>{t('station')}</th>
                  <th>{t('hAnsweredBy')}</th>
                  <th>{t('hAnswerS')}</th>
                  <th>{t('outcome')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For
                  each={r().calls}
                  fallback={
                    <tr>
                      <td colspan={7}>{t('hNone')}</td>
                    </tr>
                  }
                >
                  {(c) => (
                    <tr data-call-id={c.id}>
                      <td>{new Date(c.createdAt).toLocaleString('vi-VN')}</td>
                      <td>{c.ward}</td>
                      <td>{c.station.name}</td>
                      <td>{c.answeredBy ?? '—'}</td>
                      <td>{c.answerS ?? '—'}</td>
                      <td>{c.outcome ? t(`o_${c.outcome}`) : t(`s_${c.status}`)}</td>
                      <td>
                        <button type="button" class="link" onClick={() => props.onOpen(c.id)}>
                          {t('open')}
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}
