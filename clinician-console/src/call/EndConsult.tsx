// Ending the consult is its own act, apart from saving the note, and asks first: it hangs up on
// the resident and shows them the saved advice. Unsaved edits are saved before ending; without a
// saved note the consult cannot end (the hub refuses too), so the resident always gets advice.
import { Show, createSignal } from 'solid-js';
import { api, errorOf } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';
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
        setError(t('endFailed', { why: (await errorOf(r, '')).message }));
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
              {t('endConsult')}
            </button>
            <span id="end-hint" class="hint">
              {canEnd() ? t('endHint') : t('endNeedsNote')}
            </span>
          </>
        }
      >
        <div role="alertdialog" aria-label={t('confirmEnd')} class="confirm neutral">
          <p>{props.note.dirty ? t('endQuestionDirty') : t('endQuestion')}</p>
          <button type="button" class="end" disabled={busy()} onClick={() => void end()} ref={(b) => queueMicrotask(() => b.focus())}>
            {t('end')}
          </button>
          <button type="button" onClick={cancel}>
            {t('backToCall')}
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
