// The visit note, saved (and re-saved) during the call without ending it: reason, findings,
// advice (what the resident reads on the kiosk once the consult ends) and whether an in-person
// visit or an emergency referral is needed. Unsaved edits are shown, so the doctor knows what the
// resident will get.
import { Show, createSignal } from 'solid-js';
import type { SavedVisitNoteView } from '@tram/contracts';
import { api, errorOf } from '@tram/console-ui/hub';
import { t } from '../i18n.ts';

export type Referral = 'none' | 'in_person' | 'emergency';

export interface NoteState {
  /** When the note was last saved (24-hour local time), or null before the first save. */
  savedAt: string | null;
  /** Edits since the last save. */
  dirty: boolean;
}

/** A saved time as the doctor reads it: 24-hour local time. */
export const clockOf = (iso: string) =>
  new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function NoteForm(props: {
  consultId: string;
  /** The note saved so far (rejoining a consult): the form starts from it. */
  saved?: SavedVisitNoteView | null;
  reason: string;
  referral: Referral;
  onReferral(r: Referral): void;
  onState(s: NoteState): void;
  /** Lets the end-consult action save pending edits first. */
  ref?(save: () => Promise<boolean>): void;
}) {
  let form!: HTMLFormElement;
  const [error, setError] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [savedAt, setSavedAt] = createSignal<string | null>(props.saved ? clockOf(props.saved.savedAt) : null);
  const [dirty, setDirty] = createSignal(false);
  const report = () => props.onState({ savedAt: savedAt(), dirty: dirty() });

  const save = async (): Promise<boolean> => {
    if (!form.reportValidity()) return false;
    const f = new FormData(form);
    setSaving(true);
    setError('');
    try {
      const r = await api.api.consults[':id'].note.$put({
        param: { id: props.consultId },
        json: {
          reason: String(f.get('reason')),
          findings: String(f.get('findings') ?? ''),
          advice: String(f.get('advice')),
          referral: props.referral,
        },
      });
      if (!r.ok) {
        setError(t('saveFailed', { why: (await errorOf(r, '')).message }));
        return false;
      }
      setSavedAt(clockOf((await r.json()).savedAt));
      setDirty(false);
      report();
      return true;
    } catch {
      setError(t('saveLost'));
      return false;
    } finally {
      setSaving(false);
    }
  };
  props.ref?.(save);
  const edited = () => {
    if (dirty()) return;
    setDirty(true);
    report();
  };

  return (
    <form
      class="note"
      ref={form}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onInput={edited}
      aria-label={t('note')}
    >
      <h3>{t('note')}</h3>
      <label>
        {t('noteReason')} <input name="reason" value={props.saved?.reason ?? props.reason} required maxlength={500} />
      </label>
      <label>
        {t('findings')} <textarea name="findings" rows={3} maxlength={4000} value={props.saved?.findings ?? ''} />
      </label>
      <label>
        {t('advice')} <textarea name="advice" rows={3} required maxlength={4000} value={props.saved?.advice ?? ''} />
      </label>
      <fieldset>
        <legend>{t('referral')}</legend>
        {(['none', 'in_person', 'emergency'] as const).map((v) => (
          <label class="radio">
            <input
              type="radio"
              name="referral"
              value={v}
              checked={props.referral === v}
              onChange={() => {
                props.onReferral(v);
                edited();
              }}
            />
            {t(`ref_${v}`)}
          </label>
        ))}
      </fieldset>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="note-actions">
        <button type="submit" class="save" disabled={saving()}>
          {savedAt() ? t('updateNote') : t('saveNote')}
        </button>
        <span class="note-state" role="status" data-testid="note-state">
          {saving()
            ? t('saving')
            : savedAt()
              ? dirty()
                ? t('unsaved', { at: savedAt()! })
                : t('savedAt', { at: savedAt()! })
              : t('notSaved')}
        </span>
      </div>
    </form>
  );
}
