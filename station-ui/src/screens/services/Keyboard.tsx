// The on-screen keyboard: large keys, Vietnamese through Telex (on by default), a digit pad for
// numbers, dates and phone numbers. It edits the value it is given; a physical keyboard still
// types into the field itself.
import { For, Show, createSignal } from 'solid-js';
import { s } from './strings.ts';
import { telexKey } from './telex.ts';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const DIGITS = ['123', '456', '789', '/0'];

export function Keyboard(props: { value: string; onChange: (v: string) => void; digits?: boolean }) {
  const [telex, setTelex] = createSignal(true);
  const [shift, setShift] = createSignal(true);
  const press = (k: string) => {
    const key = shift() ? k.toUpperCase() : k;
    props.onChange(telex() ? telexKey(props.value, key) : props.value + key);
    if (shift()) setShift(false);
  };
  const back = () => props.onChange([...props.value].slice(0, -1).join(''));
  return (
    <div class="osk" classList={{ digits: !!props.digits }}>
      <Show
        when={!props.digits}
        fallback={
          <For each={DIGITS}>
            {(row) => (
              <div class="osk-row">
                <For each={[...row]}>
                  {(k) => (
                    <button type="button" class="osk-key" data-key={k} onClick={() => props.onChange(props.value + k)}>
                      {k}
                    </button>
                  )}
                </For>
                <Show when={row === '/0'}>
                  <button type="button" class="osk-key" data-key="Backspace" onClick={back} aria-label="⌫">
                    ⌫
                  </button>
                </Show>
              </div>
            )}
          </For>
        }
      >
        <For each={ROWS}>
          {(row) => (
            <div class="osk-row">
              <For each={[...row]}>
                {(k) => (
                  <button type="button" class="osk-key" data-key={k} onClick={() => press(k)}>
                    {shift() ? k.toUpperCase() : k}
                  </button>
                )}
              </For>
            </div>
          )}
        </For>
        <div class="osk-row">
          <button type="button" class="osk-key wide-key" classList={{ on: shift() }} onClick={() => setShift(!shift())}>
            ⇧
          </button>
          <button type="button" class="osk-key space" data-key=" " onClick={() => props.onChange(`${props.value} `)}>
            {s().space}
          </button>
          <button type="button" class="osk-key wide-key" data-key="Backspace" onClick={back} aria-label="⌫">
            ⌫
          </button>
          <button type="button" class="osk-key wide-key" classList={{ on: telex() }} onClick={() => setTelex(!telex())}>
            {telex() ? s().telexOn : s().telexOff}
          </button>
        </div>
      </Show>
    </div>
  );
}
