// The officer's side of an emergency call: who is calling and from where, around the shared call view.
import { Show } from 'solid-js';
import type { CallView as Call, MediaGrantView } from '@tram/contracts';
import { CallView } from '@tram/console-ui/call';
import { MedicalHandover } from './MedicalHandover.tsx';
import { Responders } from './Responders.tsx';
import { Chat } from './Chat.tsx';

export default function CallScreen(props: { call: Call; media: MediaGrantView; onHangup: () => void; onLeave?: () => void }) {
  return (
    <section aria-label="Cuộc gọi / Call">
      <h2>Đang gọi với / In call with: {props.call.station.name}</h2>
      <p>{props.call.station.address}</p>
      <Show when={props.call.note}>
        <p class="note">{props.call.note}</p>
      </Show>
      <MedicalHandover callId={props.call.id} />
      <CallView media={props.media} remoteLabel="Người dân / Resident" hangup={{ label: 'Kết thúc / Hang up', onClick: props.onHangup }} />
      <Chat callId={props.call.id} />
      <Responders call={props.call} onLeft={props.onLeave} />
    </section>
  );
}
