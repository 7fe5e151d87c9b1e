// The resident's record from the hub's FHIR API: earlier readings (before this call) and the
// notes of earlier video consults.
import { For, Show, createResource } from 'solid-js';
import type { Sample } from '../fhir/observations.ts';
import { visitNotes } from '../fhir/client.ts';
import { t } from '../i18n.ts';
import { dateTimeText } from '../vitals/format.ts';
import { ReadingsTable } from '../vitals/ReadingsTable.tsx';

const REFERRAL = { none: 'hRef_none', in_person: 'hRef_in_person', emergency: 'hRef_emergency' } as const;
/** A referral code in words; an unknown one shows as itself. */
const referralText = (r: string | null | undefined) => (r && Object.hasOwn(REFERRAL, r) ? t(REFERRAL[r as keyof typeof REFERRAL]) : r);

export function History(props: { patientId: string; consultId: string; samples: Sample[]; since: number }) {
  const [notes] = createResource(() => visitNotes(props.patientId, props.consultId));
  const earlier = () =>
    props.samples
      .filter((s) => s.at < props.since)
      .sort((a, b) => b.at - a.at)
      .slice(0, 40);
  return (
    <section class="history" aria-label={t('history')}>
      <h3>{t('earlierVisits')}</h3>
      <Show when={!notes.error} fallback={<p class="error">{t('loadFailed', { why: String(notes.error?.message ?? '') })}</p>}>
        <For each={notes() ?? []} fallback={<p class="muted">{notes.loading ? t('loading') : t('noEarlierVisits')}</p>}>
          {(n) => (
            <article class="visit" data-testid="visit-note">
              <div class="muted">
                {n.end ? dateTimeText(n.end) : ''} · {n.clinician ?? ''}
              </div>
              <div>
                <b>{n.reason}</b>
              </div>
              <Show when={!n.noteMissing} fallback={<div class="muted">{t('noteMissing')}</div>}>
                <Show when={n.findings}>
                  <div>{t('hFindings', { text: n.findings ?? '' })}</div>
                </Show>
                <div>{t('hAdvice', { text: n.advice ?? '' })}</div>
                <div>{t('hReferral', { text: referralText(n.referral) ?? '' })}</div>
              </Show>
            </article>
          )}
        </For>
      </Show>
      <h3>{t('earlierReadings')}</h3>
      <ReadingsTable samples={earlier()} empty={t('none')} testId="earlier-readings" />
    </section>
  );
}
