// The resident's record from the hub's FHIR API: earlier readings (before this call) and the
// notes of earlier video consults.
import { For, Show, createResource } from 'solid-js';
import type { Sample } from '../fhir/observations.ts';
import { visitNotes } from '../fhir/client.ts';
import { dateTimeText } from '../vitals/format.ts';
import { ReadingsTable } from '../vitals/ReadingsTable.tsx';

const REFERRAL: Record<string, string> = {
  none: 'Không / None',
  in_person: 'Khám trực tiếp / In person',
  emergency: 'Cấp cứu / Emergency',
};

export function History(props: { patientId: string; consultId: string; samples: Sample[]; since: number }) {
  const [notes] = createResource(() => visitNotes(props.patientId, props.consultId));
  const earlier = () =>
    props.samples
      .filter((s) => s.at < props.since)
      .sort((a, b) => b.at - a.at)
      .slice(0, 40);
  return (
    <section class="history" aria-label="Tiền sử / History">
      <h3>Khám trước / Earlier visits</h3>
      <Show when={!notes.error} fallback={<p class="error">Không tải được / Could not load: {String(notes.error?.message ?? '')}</p>}>
        <For
          each={notes() ?? []}
          fallback={<p class="muted">{notes.loading ? 'Đang tải… / Loading…' : 'Chưa có lần khám nào / No earlier visits'}</p>}
        >
          {(n) => (
            <article class="visit" data-testid="visit-note">
              <div class="muted">
                {n.end ? dateTimeText(n.end) : ''} · {n.clinician ?? ''}
              </div>
              <div>
                <b>{n.reason}</b>
              </div>
              <Show when={!n.noteMissing} fallback={<div class="muted">(không đọc được ghi chú / note unavailable)</div>}>
                <Show when={n.findings}>
                  <div>Khám / Findings: {n.findings}</div>
                </Show>
                <div>Lời khuyên / Advice: {n.advice}</div>
                <div>Chuyển / Referral: {REFERRAL[n.referral ?? ''] ?? n.referral}</div>
              </Show>
            </article>
          )}
        </For>
      </Show>
      <h3>Lần đo trước / Earlier readings</h3>
      <ReadingsTable samples={earlier()} empty="Chưa có / None" testId="earlier-readings" />
    </section>
  );
}
