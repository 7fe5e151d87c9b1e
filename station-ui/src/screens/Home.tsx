// The start screen: the big SOS button, the card, and the four things a resident can do.
import { For, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { raiseSos } from '../state/sos.ts';
import { go, type Screen } from '../state/navigation.ts';
import { card, identified } from '../state/card.ts';
import { Identity, needsDigits } from './Identity.tsx';
import { CardAccess } from './CardAccess.tsx';

const tiles: {
  to: Screen;
  title: 'healthCheck' | 'seeDoctor' | 'services' | 'bills' | 'whoSaw';
  hint: 'healthCheckHint' | 'seeDoctorHint' | 'servicesHint' | 'billsHint' | 'whoSawHint';
  icon: string;
  card: boolean;
  /** Leads only to a "coming soon" page for now: greyed, with the reason on the tile. */
  soon?: boolean;
}[] = [
  { to: 'health', title: 'healthCheck', hint: 'healthCheckHint', icon: '♥', card: true },
  { to: 'consult', title: 'seeDoctor', hint: 'seeDoctorHint', icon: '✚', card: true },
  { to: 'services', title: 'services', hint: 'servicesHint', icon: '▤', card: true },
  { to: 'bills', title: 'bills', hint: 'billsHint', icon: '₫', card: false },
];
// shown only to the identified resident: it is about them
const whoSawTile = { to: 'whoSaw', title: 'whoSaw', hint: 'whoSawHint', icon: '👁', card: true } as const;

export function Home() {
  return (
    <div class="home">
      <div class="home-left">
        <button type="button" class="sos" onClick={() => raiseSos()}>
          {t().sos}
          <small>{t().sosHint}</small>
        </button>
        <Identity />
      </div>
      <div class="home-right">
        <Show
          when={needsDigits()}
          fallback={
            <nav class="tiles" aria-label={t().homeChoose}>
              <For each={identified() ? [...tiles, whoSawTile] : tiles}>
                {(tile) => {
                  // why the tile cannot be used now, said on the tile itself
                  const off = () =>
                    'soon' in tile && tile.soon
                      ? t().comingSoonTile
                      : tile.card && card().state === 'no_reader'
                        ? t().readerDownTile
                        : null;
                  return (
                    <button type="button" class="tile" classList={{ 'tile-off': !!off() }} onClick={() => go(tile.to)}>
                      <span class="tile-icon" aria-hidden="true">
                        {tile.icon}
                      </span>
                      <span class="tile-title">{t()[tile.title]}</span>
                      <span class="tile-hint">{t()[tile.hint]}</span>
                      <Show
                        when={off()}
                        fallback={
                          <Show when={tile.card && !identified()}>
                            <span class="badge">{t().needsCard}</span>
                          </Show>
                        }
                      >
                        <span class="badge soon">{off()}</span>
                      </Show>
                    </button>
                  );
                }}
              </For>
            </nav>
          }
        >
          <CardAccess />
        </Show>
      </div>
    </div>
  );
}
