// Which screen is showing. Kept in a signal, never in the URL or history, so the browser keeps no
// trace of what a resident did.
import { createSignal } from 'solid-js';

export type Screen = 'home' | 'health' | 'consult' | 'services' | 'bills' | 'whoSaw';
export const [screen, setScreen] = createSignal<Screen>('home');
export const go = (s: Screen) => setScreen(s);
