// A resident's readings as a table (time, sign, value), newest first as given; flagged ones marked,
// out-of-range ones also in words ("↑ cao"), never by colour alone (WCAG 1.4.1).
// Shared by the consult's history and the break-glass record so both read the same.
import { For } from 'solid-js';
import type { Sample } from '../fhir/observations.ts';
import { t } from '../i18n.ts';
import { abnormal, abnormalText, dateTimeText, kindText, unitText, valueText } from './format.ts';

export function ReadingsTable(props: { samples: Sample[]; empty: string; testId?: string }) {
  return (
    <table class="readings" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('colTime')}</th>
          <th>{t('colSign')}</th>
          <th>{t('colValue')}</th>
        </tr>
      </thead>
      <tbody>
        <For
          each={props.samples}
          fallback={
            <tr>
              <td colSpan={3} class="muted">
                {props.empty}
              </td>
            </tr>
          }
        >
          {(s) => (
            <tr class={s.flagged || abnormal(s.kind, s) ? 'flagged' : ''}>
              <td>{dateTimeText(new Date(s.at).toISOString())}</td>
              <td>{kindText(s.kind)}</td>
              <td>
                {valueText(s)} {unitText(s.unit)}
                {abnormal(s.kind, s) ? ` ${abnormalText(abnormal(s.kind, s)!)}` : ''}
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
