// A station's self-tests on its page: the button that runs one now, and each run's steps with
// pass/fail and the plain reason (the station's timeline shows the outcome too).
import { For, Show, createSignal } from 'solid-js';
import type { SelfTestStepName, SelfTestView } from '@tram/contracts';
import { call } from './http.ts';

const STEP: Record<SelfTestStepName, string> = {
  sos_persisted: 'SOS thử được lưu / Test SOS stored',
  room_joined: 'Vào phòng thử / Test room joined',
  kiosk_audio: 'Âm thanh từ kiosk / Kiosk audio',
  kiosk_video: 'Hình ảnh từ kiosk / Kiosk video',
  return_media: 'Kiosk nhận âm, hình thử / Kiosk receives the test tone and picture',
  cleanup: 'Dọn phòng thử / Cleanup',
};
const RESULT: Record<SelfTestView['status'], string> = {
  requested: 'Đang chờ trạm / Waiting for the station',
  running: 'Đang chạy / Running',
  passed: 'Đạt / Passed',
  failed: 'Không đạt / Failed',
};
const time = (iso: string) => new Date(iso).toLocaleString('vi-VN');

export function SelfTests(props: { stationId: string; runs: SelfTestView[]; active: boolean; onStarted: () => void }) {
  const [message, setMessage] = createSignal('');
  const start = async () => {
    setMessage('');
    const r = await call<{ selfTest: SelfTestView }>('POST', `/api/admin/stations/${props.stationId}/self-test`);
    if (!r.ok) return setMessage(r.message);
    props.onStarted();
  };
  return (
    <section data-testid="self-tests">
      <h3>Tự kiểm tra / Self-test</h3>
      <Show when={props.active}>
        <p>
          <button type="button" onClick={() => void start()}>
            Chạy tự kiểm tra / Run self-test
          </button>{' '}
          <small>SOS thử không đổ chuông cán bộ / the test SOS never rings an officer</small>
        </p>
      </Show>
      <Show when={message()}>
        <p class="error">{message()}</p>
      </Show>
      <For each={props.runs}>
        {(run) => (
          <div class="selftest" data-run={run.id} data-status={run.status}>
            <p>
              <b>{RESULT[run.status]}</b> — {time(run.createdAt)} ·{' '}
              {run.trigger === 'nightly' ? 'hằng đêm / nightly' : `${run.requestedBy ?? ''}`}
            </p>
            <ul>
              <For each={run.steps}>
                {(s) => (
                  <li data-step={s.step} data-ok={String(s.ok)} class={s.ok ? 'ok' : 'fail'}>
                    {s.ok ? '✔' : '✘'} {STEP[s.step]}: {s.reason}
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </For>
    </section>
  );
}
