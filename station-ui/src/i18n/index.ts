// The current language: Vietnamese by default, English with one tap; back to Vietnamese on reset.
import { createSignal } from 'solid-js';
import { vi, type Strings } from './vi.ts';
import { en } from './en.ts';

export type Lang = 'vi' | 'en';
export type { Strings };
const [lang, setLangSignal] = createSignal<Lang>('vi');
export { lang };
export const t = (): Strings => (lang() === 'vi' ? vi : en);
export function setLang(l: Lang) {
  setLangSignal(l);
  document.documentElement.lang = l;
}
export const toggleLang = () => setLang(lang() === 'vi' ? 'en' : 'vi');
/** Numbers with the language's decimal mark (36,8 °C in Vietnamese). */
export const num = (v: number, digits: number) => v.toFixed(digits).replace('.', t().decimal);
