// One question of a form: the label in large type, the field, the on-screen keyboard, and the
// hub's message right next to the field when the answer is not right.
import { For, Index, Show, createSignal } from 'solid-js';
import type { FieldSpec } from '@tram/contracts';
import { Keyboard } from './Keyboard.tsx';
import { s, tr } from './strings.ts';

type Member = { fullName: string; idNumber: string; relationship: string };

const NUMERIC = new Set(['idNumber', 'date', 'phone', 'number']);
const placeholder = (f: FieldSpec) => (f.kind === 'date' ? 'dd/mm/yyyy' : f.kind === 'phone' ? '09xxxxxxxx' : '');

export function Field(props: { field: FieldSpec; value: unknown; onChange: (v: unknown) => void; error?: string }) {
  const f = () => props.field;
  const text = () => (props.value === undefined || props.value === null ? '' : String(props.value));
  // which input the on-screen keyboard types into (the field, or a member's sub-field)
  const [target, setTarget] = createSignal<{ get: () => string; set: (v: string) => void; digits: boolean } | null>(null);
  const main = { get: text, set: (v: string) => props.onChange(v), digits: NUMERIC.has(f().kind) };
  const active = () => target() ?? main;
  const members = (): Member[] => (Array.isArray(props.value) ? (props.value as Member[]) : []);
  const setMember = (i: number, k: keyof Member, v: string) => props.onChange(members().map((m, j) => (j === i ? { ...m, [k]: v } : m)));
  return (
    <div class="field" classList={{ invalid: !!props.error }} data-field={f().name}>
      <label class="field-label" for={`f-${f().name}`}>
        {tr(f().label)} <Show when={!f().required}>{<span class="muted">{s().optional}</span>}</Show>
      </label>
      <Show when={f().kind === 'select'}>
        <div class="choices" role="radiogroup" id={`f-${f().name}`}>
          <For each={f().options}>
            {(o) => (
              <button
                type="button"
                class="choice"
                classList={{ chosen: props.value === o.value }}
                aria-pressed={props.value === o.value}
                onClick={() => props.onChange(o.value)}
              >
                {tr(o.label)}
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={f().kind === 'members'}>
        <div class="members">
          <Index each={members()}>
            {(m, i) => (
              <div class="member">
                <input
                  class="big-input"
                  placeholder={s().memberName}
                  value={m().fullName}
                  onFocus={() =>
                    setTarget({ get: () => members()[i]?.fullName ?? '', set: (v) => setMember(i, 'fullName', v), digits: false })
                  }
                  onInput={(e) => setMember(i, 'fullName', e.currentTarget.value)}
                />
                <input
                  class="big-input"
                  inputmode="numeric"
                  placeholder={s().memberId}
                  value={m().idNumber}
                  onFocus={() =>
                    setTarget({ get: () => members()[i]?.idNumber ?? '', set: (v) => setMember(i, 'idNumber', v), digits: true })
                  }
                  onInput={(e) => setMember(i, 'idNumber', e.currentTarget.value)}
                />
                <input
                  class="big-input"
                  placeholder={s().memberRelation}
                  value={m().relationship}
                  onFocus={() =>
                    setTarget({ get: () => members()[i]?.relationship ?? '', set: (v) => setMember(i, 'relationship', v), digits: false })
                  }
                  onInput={(e) => setMember(i, 'relationship', e.currentTarget.value)}
                />
                <button type="button" class="secondary" onClick={() => props.onChange(members().filter((_, j) => j !== i))}>
                  {s().removeMember}
                </button>
              </div>
            )}
          </Index>
          <button
            type="button"
            class="secondary add-member"
            onClick={() => props.onChange([...members(), { fullName: '', idNumber: '', relationship: '' }])}
          >
            + {s().addMember}
          </button>
        </div>
      </Show>
      <Show when={f().kind !== 'select' && f().kind !== 'members'}>
        <Show
          when={f().kind === 'longText'}
          fallback={
            <input
              id={`f-${f().name}`}
              name={f().name}
              class="big-input"
              inputmode={NUMERIC.has(f().kind) ? 'numeric' : 'text'}
              placeholder={placeholder(f())}
              value={text()}
              aria-invalid={!!props.error}
              onFocus={() => setTarget(null)}
              onInput={(e) => props.onChange(e.currentTarget.value)}
            />
          }
        >
          <textarea
            id={`f-${f().name}`}
            name={f().name}
            class="big-input"
            rows={3}
            value={text()}
            aria-invalid={!!props.error}
            onFocus={() => setTarget(null)}
            onInput={(e) => props.onChange(e.currentTarget.value)}
          />
        </Show>
      </Show>
      <Show when={props.error}>
        <p class="field-error" role="alert">
          {props.error}
        </p>
      </Show>
      <Show when={f().kind !== 'select' && (f().kind !== 'members' || target())}>
        <Keyboard value={active().get()} onChange={(v) => active().set(v)} digits={active().digits} />
      </Show>
    </div>
  );
}
