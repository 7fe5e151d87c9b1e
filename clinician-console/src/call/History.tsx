// The resident's record from the hub's FHIR API: earlier readings (before this call) and the
// notes of earlier video consults.
import { For, Show, createResource } from 'solid-js';
import type { Sample } from '../fhir/observations.ts';
import { visitNotes } from '../fhir/client.ts';
import { ABNORMAL_TEXT, KIND_LABEL, abnormal, dateTimeText, unitText, valueText } from '../vitals/format.ts';

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
      <table class="readings" data-testid="earlier-readings">
        <thead>
          <tr>
            <th>Thời gian / Time</th>
            <th>Chỉ số / Sign</th>
            <th>Giá trị / Value</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={earlier()}
            fallback={
              <tr>
                <td colSpan={3} class="muted">
                  Chưa có / None
                </td>
              </tr>
            }
          >
            {(s) => (
              <tr class={s.flagged || abnormal(s.kind, s) ? 'flagged' : ''}>
                <td>{dateTimeText(new Date(s.at).toISOString())}</td>
                <td>{KIND_LABEL[s.kind]}</td>
                <td>
                  {valueText(s)} {unitText(s.unit)}
                  {abnormal(s.kind, s) ? ` ${ABNORMAL_TEXT[abnormal(s.kind, s)!]}` : ''}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
