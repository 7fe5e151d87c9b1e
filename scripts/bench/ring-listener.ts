// Police consoles for the SOS benches, in a process of their own: the process pressing SOS is busy
// with hundreds of requests, and a console socket in it reads its ring late (its event loop is
// the one sending). Arrival times are absolute (timeOrigin + now), comparable across processes.
// Parent → child (IPC): { hubUrl, cookies }; child → parent: 'ready'; parent: 'collect' →
// child: { arrivals: [callId, times[]][] }.
import WebSocket from 'ws';

const arrivals = new Map<string, number[]>();
const sockets: WebSocket[] = [];
const now = () => performance.timeOrigin + performance.now();

process.on('message', async (m: { hubUrl: string; cookies: string[] } | 'collect' | 'stop') => {
  if (m === 'collect') return process.send!({ arrivals: [...arrivals] });
  if (m === 'stop') {
    for (const ws of sockets) ws.terminate();
    return process.exit(0);
  }
  for (const cookie of m.cookies) {
    const ws = new WebSocket(`${m.hubUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
    ws.on('message', (b) => {
      const t = now();
      const e = JSON.parse(b.toString());
      if (e.type !== 'call.ringing') return;
      const a = arrivals.get(e.data.call.id);
      if (a) a.push(t);
      else arrivals.set(e.data.call.id, [t]);
    });
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    sockets.push(ws);
  }
  process.send!('ready');
});
