// The bar on every screen: where you are, back to the start, spoken guidance on/off, language.
import { Show } from 'solid-js';
import { t, toggleLang } from '../i18n/index.ts';
import { go, screen } from '../state/navigation.ts';
import { muted, toggleMute } from '../state/voice.ts';

export function TopBar() {
  return (
    <header class="top">
      <h1>{t().title}</h1>
      <nav class="top-actions" aria-label={t().title}>
        <Show when={screen() !== 'home'}>
          <button type="button" class="top-btn" onClick={() => go('home')}>
            ⌂ {t().home}
          </button>
        </Show>
        <button type="button" class="top-btn" aria-pressed={!muted()} onClick={toggleMute}>
          {muted() ? `🔇 ${t().voiceOff}` : `🔊 ${t().voiceOn}`}
        </button>
        <button type="button" class="top-btn lang" onClick={toggleLang} lang={t().switchLang === 'English' ? 'en' : 'vi'}>
          {t().switchLang}
        </button>
      </nav>
    </header>
  );
}
