// The visit note that ends the consult: reason, findings, advice (what the resident reads on the
// kiosk) and whether an in-person visit or an emergency referral is needed.
import { Show, createSignal } from 'solid-js';
import { api, errorOf } from '@tram/console-ui/hub';

export type Referral = 'none' | 'in_person' | 'emergency';

export function NoteForm(props: {
  consultId: string;
  reason: string;
  referral: Referral;
  onReferral(r: Referral): void;
  onSaved(refs: { encounter: string; clinicalImpression: string }): void;
}) {
  const [error, setError] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setSaving(true);
    setError('');
    try {
      const r = await api.api.consults[':id'].note.$post({
        param: { id: props.consultId },
        json: {
          reason: String(f.get('reason')),
          findings: String(f.get('findings') ?? ''),
          advice: String(f.get('advice')),
          referral: props.referral,
        },
      });
      if (r.ok) props.onSaved((await r.json()).fhir);
      else setError((await errorOf(r, 'Could not save')).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="note" onSubmit={submit} aria-label="Ghi chú khám / Visit note">
      <h3>Ghi chú khám / Visit note</h3>
      <label>
        Lý do khám / Reason <input name="reason" value={props.reason} required maxlength={500} />
      </label>
      <label>
        Khám thấy / Findings <textarea name="findings" rows={3} maxlength={4000} />
      </label>
      <label>
        Lời khuyên cho người dân / Advice for the resident <textarea name="advice" rows={3} required maxlength={4000} />
      </label>
      <fieldset>
        <legend>Chuyển tuyến / Referral</legend>
        {(['none', 'in_person', 'emergency'] as const).map((v) => (
          <label class="radio">
            <input type="radio" name="referral" value={v} checked={props.referral === v} onChange={() => props.onReferral(v)} />
            {{ none: 'Không cần / None', in_person: 'Khám trực tiếp / In-person visit', emergency: 'Cấp cứu / Emergency' }[v]}
          </label>
        ))}
      </fieldset>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <button type="submit" class="save" disabled={saving()}>
        Lưu và kết thúc / Save and end consult
      </button>
    </form>
  );
}
