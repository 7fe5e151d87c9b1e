// Ending the consult is its own act, apart from saving the note, and asks first: it hangs up on
// the resident and shows them the saved advice. Unsaved edits are saved before ending; without a
// saved note the consult cannot end (the hub refuses too), so the resident always gets advice.
import { Show, createSignal } from 'solid-js';
import { api, errorOf } from '@tram/console-ui/hub';
import type { NoteState } from './NoteForm.tsx';

export function EndConsult(props: {
  consultId: string;
  note: NoteState;
  saveNote(): Promise<boolean>;
  onEnded(refs: { encounter: string; clinicalImpression: string }): void;
}) {
  let endButton!: HTMLButtonElement;
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const canEnd = () => props.note.savedAt !== null || props.note.dirty;
  const end = async () => {
    setBusy(true);
    setError('');
    try {
      if ((props.note.dirty || !props.note.savedAt) && !(await props.saveNote())) {
        setConfirming(false);
        return;
      }
      const r = await api.api.consults[':id'].end.$post({ param: { id: props.consultId } });
      if (r.ok) props.onEnded((await r.json()).fhir);
      else {
        setConfirming(false);
        setError(`Không kết thúc được / Could not end: ${(await errorOf(r, '')).message}`);
      }
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setConfirming(false);
    queueMicrotask(() => endButton?.focus());
  };
  return (
    <div class="end-consult">
      <Show
        when={confirming()}
        fallback={
          <>
            <button
              type="button"
              class="end"
              ref={endButton}
              disabled={!canEnd()}
              aria-describedby="end-hint"
              onClick={() => setConfirming(true)}
            >
              ⏹ Kết thúc buổi khám / End consult
            </button>
            <span id="end-hint" class="hint">
              {canEnd()
                ? 'Người dân sẽ thấy lời khuyên đã lưu / The resident will see the saved advice'
                : 'Lưu ghi chú trước khi kết thúc / Save the note before ending'}
            </span>
          </>
        }
      >
        <div role="alertdialog" aria-label="Xác nhận kết thúc / Confirm end" class="confirm neutral">
          <p>
            Kết thúc buổi khám và gác máy? Người dân sẽ thấy lời khuyên
            {props.note.dirty ? ' (các thay đổi sẽ được lưu trước)' : ''}. / End the consult and hang up? The resident will see the advice
            {props.note.dirty ? ' (your changes are saved first)' : ''}.
          </p>
          <button type="button" class="end" disabled={busy()} onClick={() => void end()} ref={(b) => queueMicrotask(() => b.focus())}>
            Kết thúc / End
          </button>
          <button type="button" onClick={cancel}>
            Quay lại cuộc gọi / Back to the call
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
