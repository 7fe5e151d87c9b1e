// The page hears of its SOS two ways: the agent's answer to the tap, and the agent's socket. The
// answer ('sending') can arrive after the socket already said the hub acknowledged that same SOS
// (the hub was quick, the page busy); taken, it hid the call's media grant, and a call screen
// mounting then never joined the room.
import type { SosState } from '@tram/contracts';

/** Whether `next` is older news than `current`: the sending state of an SOS already acknowledged. */
export const staleSos = (current: SosState, next: SosState): boolean =>
  next.state === 'sending' && current.state === 'acknowledged' && current.key === next.key;
