// Station agent entry point: `tsx station-agent/src/main.ts`.
import { loadAgentConfig } from './config.ts';
import { startAgent } from './gateway/server.ts';

const agent = await startAgent(loadAgentConfig());
console.log(`station agent: kiosk page at ${agent.url}/`);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    agent.stop().finally(() => process.exit(0));
  });
