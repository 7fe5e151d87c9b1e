import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { connectAgent } from './agent.ts';

connectAgent();
render(() => <App />, document.getElementById('root')!);
