// The hub's realtime socket (/ws): clinicians hear `consult.changed` and `consult.presence`.
// Reconnects by itself; `onOpen` runs after every (re)connect so the caller can refetch.
import { onCleanup } from 'solid-js';

export interface HubEvent { type: string; data: any }

export function connectRealtime(on: { open(): void; event(e: HubEvent): void; live(up: boolean): void }) {
  let ws: WebSocket | undefined, stopped = false, retry: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onopen = () => { on.live(true); on.open(); };
    ws.onmessage = (m) => on.event(JSON.parse(String(m.data)) as HubEvent);
    ws.onclose = () => { on.live(false); if (!stopped) retry = setTimeout(connect, 1000); };
  };
  connect();
  onCleanup(() => { stopped = true; clearTimeout(retry); ws?.close(); });
}
