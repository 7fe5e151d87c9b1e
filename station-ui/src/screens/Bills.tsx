// Paying bills: not there yet, and the screen says so plainly.
import { For } from 'solid-js';
import { t } from '../i18n/index.ts';

export function Bills() {
  return (
    <section class="page">
      <h2>{t().billsTitle}</h2>
      <p class="panel note">{t().billsIntro}</p>
      <ul class="catalogue">
        <For each={['electricity', 'water', 'building_fee'] as const}>
          {(b) => (
            <li class="panel item">
              <span class="item-title">{t().bill[b]}</span>
              <span class="badge soon">{t().comingSoon}</span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
