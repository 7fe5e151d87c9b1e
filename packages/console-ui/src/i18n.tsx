// One language at a time for a staff console, with a switch: Vietnamese by default, English on
// request, remembered per browser. A console passes its own dictionaries (English must have every
// key Vietnamese has); `t` fills {name} placeholders.
import { createSignal } from 'solid-js';

export type Lang = 'vi' | 'en';
const STORE_KEY = 'tram.console.lang';

export interface I18n<K extends string> {
  lang(): Lang;
  setLang(l: Lang): void;
  t(key: K, vars?: Record<string, string | number>): string;
}

export function createI18n<D extends Record<string, string>>(dicts: { vi: D; en: { [K in keyof D]: string } }): I18n<keyof D & string> {
  const saved = (() => {
    try {
      return localStorage.getItem(STORE_KEY);
    } catch {
      return null;
    }
  })();
  const [lang, set] = createSignal<Lang>(saved === 'en' ? 'en' : 'vi');
  const apply = (l: Lang) => {
    if (typeof document !== 'undefined') document.documentElement.lang = l;
  };
  apply(lang());
  return {
    lang,
    setLang(l) {
      set(l);
      apply(l);
      try {
        localStorage.setItem(STORE_KEY, l);
      } catch {
        /* private mode: the choice lasts for this page */
      }
    },
    t(key, vars) {
      const s = dicts[lang()][key] ?? dicts.vi[key] ?? key;
      return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
    },
  };
}

/** The switch: names the other language in that language, so a reader of it can find it. */
export function LangSwitch(props: { i18n: Pick<I18n<string>, 'lang' | 'setLang'> }) {
  return (
    <button
      type="button"
      class="lang-switch"
      lang={props.i18n.lang() === 'vi' ? 'en' : 'vi'}
      onClick={() => props.i18n.setLang(props.i18n.lang() === 'vi' ? 'en' : 'vi')}
    >
      {props.i18n.lang() === 'vi' ? 'English' : 'Tiếng Việt'}
    </button>
  );
}
