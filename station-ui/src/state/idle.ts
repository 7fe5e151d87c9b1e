// Idle reset: after `idle` seconds without a touch (configurable with ?idle=N in the kiosk URL,
// default 120) the page returns to the start; the last part of that time shows a countdown with
// "I'm still here". Nothing counts while a call is on or when there is nothing to reset.
import { createSignal } from 'solid-js';

const param = Number(new URLSearchParams(location.search).get('idle'));
export const IDLE_S = Number.isFinite(param) && param >= 5 ? param : 120;
export const WARN_S = Math.min(20, Math.floor(IDLE_S / 2));

const [remaining, setRemaining] = createSignal(IDLE_S);
export { remaining };
export const warning = () => remaining() <= WARN_S;

let last = Date.now();
export const touched = () => {
  last = Date.now();
  setRemaining(IDLE_S);
};

/** Runs the clock; `active()` says whether there is anything to protect right now. */
export function startIdleClock(active: () => boolean, onTimeout: () => void) {
  // While the countdown shows, only a tap on it counts (a touch that hid it on pointerdown would
  // land its click on whatever lies beneath).
  const any = () => {
    if (!warning()) touched();
  };
  for (const ev of ['pointerdown', 'keydown']) addEventListener(ev, any, { capture: true, passive: true });
  setInterval(() => {
    if (!active()) {
      touched();
      return;
    }
    const left = Math.max(0, IDLE_S - Math.floor((Date.now() - last) / 1000));
    setRemaining(left);
    if (left === 0) {
      touched();
      onTimeout();
    }
  }, 250);
}
