import { render } from 'solid-js/web';
import { App } from './App.tsx';
import './console.css';

render(() => <App />, document.getElementById('root')!);
