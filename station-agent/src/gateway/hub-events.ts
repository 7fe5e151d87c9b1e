// One WebSocket from the agent to the hub (authenticated with the station credential), kept open
// with reconnects; its events are relayed to the kiosk page.
import WebSocket from 'ws';

export function followHubEvents(hubUrl: string, credential: string, onEvent: (frame: string) => void, onState: (up: boolean) => void) {
  let ws: WebSocket | undefined;
  let stopped = false;
  let delay = 250;
  const connect = () => {
    if (stopped) return;
    ws = new WebSocket(hubUrl.replace(/^http/, 'ws') + '/ws', { headers: { authorization: `Station ${credential}` } });
    ws.on('open', () => {
      delay = 250;
      onState(true);
    });
    ws.on('message', (data) => onEvent(data.toString()));
    ws.on('error', () => {});
    ws.on('close', () => {
      onState(false);
      delay = Math.min(delay * 2, 3000);
      if (!stopped) setTimeout(connect, delay);
    });
  };
  connect();
  return {
    stop() {
      stopped = true;
      ws?.terminate();
    },
  };
}
