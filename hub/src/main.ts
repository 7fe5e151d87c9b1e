// Hub entry point: `tsx hub/src/main.ts`.
import { loadConfig } from './config.ts';
import { startHub } from './server.ts';

const hub = await startHub(loadConfig());
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    hub.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
