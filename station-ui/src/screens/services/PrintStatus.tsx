// Prints the receipt once when shown and says what happened; the resident can print it again. The
// receipt stays on screen either way (a station without a printer shows only the screen one).
import { Match, Switch, createSignal, onMount } from 'solid-js';
import type { PrintReceiptBody } from '@tram/contracts';
import { printReceipt, type PrintState } from './print.ts';
import { s } from './strings.ts';

export function PrintStatus(props: { body: PrintReceiptBody }) {
  const [state, setState] = createSignal<PrintState>('printing');
  const print = async () => {
    setState('printing');
    setState(await printReceipt(props.body));
  };
  onMount(print);
  return (
    <div class="print-status" role="status" data-print={state()}>
      <Switch>
        <Match when={state() === 'printing'}>{s().printing}</Match>
        <Match when={state() === 'printed'}>🖨 {s().printed}</Match>
        <Match when={state() === 'no_printer'}>{s().noPrinter}</Match>
        <Match when={state() === 'failed'}>{s().printFailed}</Match>
      </Switch>
      <button type="button" class="secondary reprint" disabled={state() === 'printing' || state() === 'no_printer'} onClick={print}>
        {s().reprint}
      </button>
    </div>
  );
}
