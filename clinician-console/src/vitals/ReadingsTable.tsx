// A resident's readings as a table (time, sign, value), newest first as given; flagged ones marked.
// Shared by the consult's history and the break-glass record so both read the same.
import { For } from 'solid-js';
import type { Sample } from '../fhir/observations.ts';
import { KIND_LABEL, dateTimeText, unitText, valueText } from './format.ts';

export function ReadingsTable(props: { samples: Sample[]; empty: string; testId?: string }) {
  return (
    <table class="readings" data-testid={props.testId}>
      <thead>
        <tr>
          <th>Thời gian / Time</th>
          <th>Chỉ số / Sign</th>
          <th>Giá trị / Value</th>
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
            <tr class={s.flagged ? 'flagged' : ''}>
              <td>{dateTimeText(new Date(s.at).toISOString())}</td>
              <td>{KIND_LABEL[s.kind]}</td>
              <td>
                {valueText(s)} {unitText(s.unit)}
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
