// The hub's realtime socket (/ws) for a signed-in console: typed events, reconnecting by itself.
// `open` runs after every (re)connect so the console can refetch what it missed.
import { getOwner, onCleanup } from 'solid-js';
import type { HubEvent } from '@tram/contracts';
import { eventOf, sameOrigin, socketLoop, type SocketLoop } from './socket-loop.ts';

export function followHubEvents(on: { open(): void; event(e: HubEvent): void; live(up: boolean): void }): SocketLoop {
  const loop = socketLoop({
    address: () => sameOrigin('/ws'),
    onOpen: () => {
      on.live(true);
      on.open();
    },
    onMessage: (data) => {
      const e = eventOf<HubEvent>(data);
      if (e) on.event(e);
    },
    onClose: () => on.live(false),
  });
  if (getOwner()) onCleanup(() => loop.stop());
  return loop;
}
