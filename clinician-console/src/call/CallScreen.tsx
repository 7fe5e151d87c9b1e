// A consult in progress (lazily loaded with LiveKit and uPlot): the resident's video, their live
// vitals with charts and re-measure buttons, their history, the emergency action and the note.
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import type { BoothKind, MediaGrantView, StaffView, VitalKind } from '@tram/contracts';
import { CallView } from '@tram/console-ui/call';
import { api, errorOf } from '@tram/console-ui/hub';
import type { ActiveConsult } from '../Console.tsx';
import { observationHistory } from '../fhir/client.ts';
import { followVitals, type LiveState } from '../fhir/live-vitals.ts';
import { samplesOf, type Sample } from '../fhir/observations.ts';
import { KIND_LABEL, reasonText, sexText } from '../vitals/format.ts';
import { VitalsPanel } from './VitalsPanel.tsx';
import { History } from './History.tsx';
import { NoteForm, clockOf, type NoteState, type Referral } from './NoteForm.tsx';
import { EndConsult } from './EndConsult.tsx';
import { Escalate } from './Escalate.tsx';

export default function CallScreen(props: {
  consult: ActiveConsult;
  me: StaffView;
  onDone(text: string): void;
  onMediaRenewed(m: MediaGrantView): void;
}) {
  const entry = props.consult.entry;
  const since = Date.now();
  const [samples, setSamples] = createSignal<Sample[]>([]);
  const [live, setLive] = createSignal<LiveState>('connecting');
  const [pending, setPending] = createSignal<ReadonlySet<VitalKind>>(new Set());
  const saved = props.consult.note ?? null;
  const [referral, setReferral] = createSignal<Referral>(saved?.referral ?? 'none');
  const [message, setMessage] = createSignal('');
  const [note, setNote] = createSignal<NoteState>({ savedAt: saved ? clockOf(saved.savedAt) : null, dirty: false });
  let saveNote: () => Promise<boolean> = async () => false;
  // how long the consult has run, in the header
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(clock));
  const elapsed = () => {
    const s = Math.max(0, Math.floor((now() - since) / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };

  const merge = (incoming: Sample[]) => {
    if (!incoming.length) return;
    const known = new Map(samples().map((s) => [s.id, s]));
    const fresh = incoming.filter((s) => !known.has(s.id));
    if (!fresh.length) return;
    for (const s of fresh) known.set(s.id, s);
    setSamples([...known.values()]);
    // a new reading of a kind the doctor asked for answers the request
    const arrived = new Set(fresh.map((s) => s.kind));
    if ([...pending()].some((k) => arrived.has(k))) setPending(new Set([...pending()].filter((k) => !arrived.has(k))));
  };
  const resync = () => {
    observationHistory(entry.patient.id).then(
      (b) => merge(samplesOf(b)),
      () => {},
    );
  };

  onMount(() => {
    resync();
    const follower = followVitals(entry.patient.id, { samples: merge, resync, state: setLive });
    onCleanup(() => follower.stop());
  });

  const remeasure = async (kind: BoothKind) => {
    setMessage('');
    setPending(new Set([...pending(), kind]));
    const r = await api.api.consults[':id'].remeasure.$post({ param: { id: entry.id }, json: { kind } });
    if (!r.ok) {
      setPending(new Set([...pending()].filter((k) => k !== kind)));
      setMessage(`Không gửi được yêu cầu đo lại ${KIND_LABEL[kind]} / Re-measure request failed: ${(await errorOf(r, '')).message}`);
    }
  };
  const rejoin = async () => {
    const r = await api.api.consults[':id'].rejoin.$post({ param: { id: entry.id } });
    if (r.ok) props.onMediaRenewed((await r.json()).media);
    else setMessage(`Mất kết nối hình/tiếng / Media lost: ${(await errorOf(r, '')).message}`);
  };

  return (
    <section class="call" aria-label="Buổi khám / Consult">
      <div class="call-head">
        <h2>Đang khám / In consult: {entry.patient.name}</h2>
        <span>
          {entry.patient.age ?? '—'} tuổi / y · {sexText(entry.patient.sex)} · {reasonText(entry.reason)} · {entry.station.name}
        </span>
      </div>
      <Show when={message()}>
        <p class="error" role="alert">
          {message()}
        </p>
      </Show>
      <div class="call-grid">
        <div class="col">
          <CallView
            media={props.consult.media}
            remoteLabel={`Người dân / Resident: ${entry.patient.name}`}
            waitingText="Đang chờ hình của người dân… / Waiting for the resident's video…"
            onLost={() => void rejoin()}
            remoteCameraOffText="Người dân đã tắt camera / The resident turned their camera off"
            controls={{
              // ending sits with the other call controls, always in view; the note is saved on its own below
              extra: (
                <>
                  <EndConsult
                    consultId={entry.id}
                    note={note()}
                    saveNote={() => saveNote()}
                    onEnded={(refs) =>
                      props.onDone(
                        `Đã kết thúc buổi khám, ghi chú đã lưu / Consult ended, visit note saved — ${entry.patient.name} (${refs.encounter}, ${refs.clinicalImpression})`,
                      )
                    }
                  />
                  <span class="call-timer" data-testid="consult-timer" role="timer" aria-label={`Thời gian khám / Call time ${elapsed()}`}>
                    <small>Thời gian / Time</small> ⏱ {elapsed()}
                  </span>
                </>
              ),
            }}
          />
          <Escalate consultId={entry.id} onEscalated={() => setReferral('emergency')} />
          <NoteForm
            consultId={entry.id}
            saved={saved}
            reason={reasonText(entry.reason).split(' / ')[0]!}
            referral={referral()}
            onReferral={setReferral}
            onState={setNote}
            ref={(save) => {
              saveNote = save;
            }}
          />
        </div>
        <div class="col">
          <VitalsPanel samples={samples()} since={since} live={live()} pending={pending()} onRemeasure={(k) => void remeasure(k)} />
          <History patientId={entry.patient.id} consultId={entry.id} samples={samples()} since={since} />
        </div>
      </div>
    </section>
  );
}
