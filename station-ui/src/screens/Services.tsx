// The public-services catalogue entry: the list, honestly marked "coming soon" — no fake forms.
import { For } from 'solid-js';
import { t } from '../i18n/index.ts';

const catalogue = [
  { code: 'temporary_residence', authority: 'police' },
  { code: 'residence_confirmation', authority: 'police' },
  { code: 'birth_registration', authority: 'committee' },
  { code: 'certified_copy', authority: 'committee' },
  { code: 'feedback', authority: 'committee' },
  { code: 'building_repair', authority: 'building' },
] as const;

export function Services() {
  return (
    <section class="page">
      <h2>{t().servicesTitle}</h2>
      <p class="panel note">{t().servicesIntro}</p>
      <ul class="catalogue">
        <For each={catalogue}>
          {(s) => (
            <li class="panel item">
              <span class="item-title">{t().service[s.code]}</span>
              <span class="muted">{t().handledBy(t().authority[s.authority])}</span>
              <span class="badge soon">{t().comingSoon}</span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
