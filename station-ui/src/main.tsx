import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { connectAgent } from './state/agent-socket.ts';
import { startSessionGuards } from './state/session.ts';

connectAgent();
startSessionGuards();
render(() => <App />, document.getElementById('root')!);
// The kiosk bench reads this: the first screen is rendered with its handlers attached.
performance.mark('kiosk-interactive');
