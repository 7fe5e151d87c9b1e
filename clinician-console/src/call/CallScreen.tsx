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
import { i18n, t, hasKey, viText } from '../i18n.ts';
import { kindText, reasonText, sexText } from '../vitals/format.ts';
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
  // the note's reason starts in Vietnamese whatever the screen language: it goes into the record
  const reasonKey = `r_${entry.reason}`;
  const noteReason = hasKey(reasonKey) ? viText(reasonKey) : entry.reason;
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
      setMessage(t('remeasureFailed', { kind: kindText(kind), why: (await errorOf(r, '')).message }));
    }
  };
  const rejoin = async () => {
    const r = await api.api.consults[':id'].rejoin.$post({ param: { id: entry.id } });
    if (r.ok) props.onMediaRenewed((await r.json()).media);
    else setMessage(t('mediaLost', { why: (await errorOf(r, '')).message }));
  };

  return (
    <section class="call" aria-label={t('consult')}>
      <div class="call-head">
        <h2>{t('inConsult', { name: entry.patient.name })}</h2>
        <span>
          {t('age', { n: entry.patient.age ?? '—' })} · {sexText(entry.patient.sex)} · {reasonText(entry.reason)} · {entry.station.name}
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
            remoteLabel={t('resident', { name: entry.patient.name })}
            lang={i18n.lang()}
            waitingText={t('waitingVideo')}
            onLost={() => void rejoin()}
            remoteCameraOffText={t('cameraOff')}
            controls={{
              // ending sits with the other call controls, always in view; the note is saved on its own below
              extra: (
                <>
                  <EndConsult
                    consultId={entry.id}
                    note={note()}
                    saveNote={() => saveNote()}
                    onEnded={(refs) =>
                      props.onDone(t('consultEnded', { name: entry.patient.name, refs: `${refs.encounter}, ${refs.clinicalImpression}` }))
                    }
                  />
                  <span class="call-timer" data-testid="consult-timer" role="timer" aria-label={t('callTime', { t: elapsed() })}>
                    <small>{t('time')}</small> ⏱ {elapsed()}
                  </span>
                </>
              ),
            }}
          />
          <Escalate consultId={entry.id} onEscalated={() => setReferral('emergency')} />
          <NoteForm
            consultId={entry.id}
            saved={saved}
            reason={noteReason}
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
