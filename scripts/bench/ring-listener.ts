// Police consoles for the SOS benches, in a process of their own: the process pressing SOS is busy
// with hundreds of requests, and a console socket in it reads its ring late (its event loop is
// the one sending). Arrival times are absolute (timeOrigin + now), comparable across processes.
// Parent → child (IPC): { consoles: { url, cookie? }[] }; child → parent: 'ready'; parent: 'collect' →
// child: { arrivals: [callId, times[]][] }, each console's first ring of the call (a retry may ring
// a console again; the time that counts is when it first rang).
import WebSocket from 'ws';

/** call id → console index → when that console first had the ring */
const arrivals = new Map<string, Map<number, number>>();
const sockets: WebSocket[] = [];
const now = () => performance.timeOrigin + performance.now();

process.on('message', async (m: { consoles: { url: string; cookie?: string }[] } | 'collect' | 'stop') => {
  if (m === 'collect') return process.send!({ arrivals: [...arrivals].map(([id, first]) => [id, [...first.values()]]) });
  if (m === 'stop') {
    for (const ws of sockets) ws.terminate();
    return process.exit(0);
  }
  for (const [i, { url, cookie }] of m.consoles.entries()) {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    ws.on('message', (b) => {
      const t = now();
      const e = JSON.parse(b.toString());
      if (e.type !== 'call.ringing') return;
      const first = arrivals.get(e.data.call.id) ?? new Map<number, number>();
      arrivals.set(e.data.call.id, first);
      if (!first.has(i)) first.set(i, t);
    });
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    sockets.push(ws);
  }
  process.send!('ready');
});
