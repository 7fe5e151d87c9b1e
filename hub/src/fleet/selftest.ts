// Station self-test: an admin's button or the nightly schedule asks the station (its agent, over
// /ws) to place a test SOS. The test SOS is stored as a self-test run, never as a call, so it
// cannot ring an officer nor count in service levels, history, metrics or alerts. The hub instance
// that receives it joins the test room with its test participant, checks the kiosk's audio and
// video, sends a tone and a test picture back and waits for the kiosk page's report. Every step is recorded; a run
// nobody finishes (agent offline, hub restarted) fails at its deadline, taken by any hub (SKIP LOCKED).
import {
  participant,
  SELFTEST_STEPS,
  subject,
  topic,
  type SelfTestKioskReport,
  type SelfTestSosView,
  type SelfTestStatus,
  type SelfTestStep,
  type SelfTestStepName,
  type SelfTestTrigger,
  type SelfTestView,
} from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import type { Tx } from '../db/client.ts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { activeStationById, insertStationEvents, stationBrief } from './store.ts';
import * as store from './selftest-store.ts';
import { joinAsTestParticipant, type TestParticipant } from './selftest-bot.ts';

/** The test participant's identity in the room (not a station, not staff). */
export const SELFTEST_IDENTITY = 'hub:selftest';
const NIGHTLY = 'nightly_selftest';
/** How long the test participant waits for each thing from the kiosk. */
const WAIT_MS = 20_000;

export const selfTestView = (r: store.SelfTestRow): SelfTestView => ({
  id: r.id,
  stationId: r.station_id,
  trigger: r.trigger,
  requestedBy: r.requested_by,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  steps: r.steps,
});

export async function recentSelfTests(d: HubDeps, stationId: string): Promise<SelfTestView[]> {
  return (await store.selfTestsOf(d.sql, stationId)).map(selfTestView);
}

const step = (name: SelfTestStepName, passed: boolean, reason: string): SelfTestStep => ({
  step: name,
  ok: passed,
  reason,
  at: new Date().toISOString(),
});

async function announce(d: HubDeps, tx: Tx, run: { id: string; stationId: string; code: string; trigger: SelfTestTrigger; by: string }) {
  await insertStationEvents(tx, run.stationId, [
    { kind: 'selftest.requested', detail: { runId: run.id, trigger: run.trigger, by: run.by } },
  ]);
  await insertAudit(tx, {
    actor: run.by,
    action: 'station.selftest',
    subject: subject.station(run.code),
    detail: { runId: run.id, trigger: run.trigger },
  });
  await d.bus.publish(tx, { type: 'station.selftest', data: { runId: run.id }, topics: [topic.station(run.stationId)] });
  await d.bus.publish(tx, {
    type: 'selftest.changed',
    data: { stationId: run.stationId, runId: run.id, status: 'requested' },
    topics: [topic.admins],
  });
}

/** The admin's button on the station page. */
export async function requestSelfTest(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<SelfTestView>> {
  return d.sql.begin(async (tx) => {
    const st = await activeStationById(tx, stationId);
    if (!st) return fail(404, 'not_found', 'No such active station');
    const row = await store.insertSelfTest(tx, {
      stationId,
      trigger: 'admin',
      requestedBy: admin.username,
      timeoutS: d.config.fleet.selfTest.timeoutS,
    });
    if (!row) return fail(409, 'selftest_running', 'A self-test of this station is already running');
    await announce(d, tx, { id: row.id, stationId, code: st.code, trigger: 'admin', by: participant.staff(admin.username) });
    return ok(selfTestView(row));
  });
}

/** The station's test SOS: stored (the run starts), a grant to the test room, and the test participant joins it. */
export async function placeTestSos(d: HubDeps, station: Station, runId: string): Promise<Outcome<SelfTestSosView>> {
  const started = await store.startSelfTest(d.sql, runId, station.id, `selftest-${runId}`);
  if (!started) return fail(404, 'not_found', 'No such open self-test for this station');
  if (started.started) {
    await progress(
      d,
      runId,
      station.id,
      step('sos_persisted', true, 'SOS thử đã lưu (không đổ chuông cán bộ) / test SOS stored (no officer rung)'),
    );
    try {
      await d.media.ensureRoom(started.room, { maxParticipants: 3 });
    } catch (err) {
      d.log.error({ err, runId }, 'creating the self-test room failed');
    }
    void checkMedia(d, runId, started.room, station).catch((err) => d.log.error({ err, runId }, 'self-test media check failed'));
  }
  return ok({ runId, media: await d.media.joinToken(started.room, participant.station(station.code), station.name) });
}

export async function reportFromKiosk(d: HubDeps, station: Station, runId: string, k: SelfTestKioskReport): Promise<Outcome<{ ok: true }>> {
  if (!(await store.writeKioskReport(d.sql, runId, station.id, k)))
    return fail(404, 'not_found', 'No such open self-test for this station');
  return ok({ ok: true as const });
}

async function progress(d: HubDeps, runId: string, stationId: string, s: SelfTestStep) {
  if (!(await store.appendStep(d.sql, runId, s))) return;
  await d.bus.publish(d.sql, { type: 'selftest.changed', data: { stationId, runId, status: 'running' }, topics: [topic.admins] });
}

async function checkMedia(d: HubDeps, runId: string, room: string, station: Station) {
  const record = (s: SelfTestStep) => progress(d, runId, station.id, s);
  let bot: TestParticipant | undefined;
  try {
    bot = await joinAsTestParticipant(await d.media.joinToken(room, SELFTEST_IDENTITY, 'Tự kiểm tra / Self-test'));
    await record(step('room_joined', true, 'người tham gia thử đã vào phòng / the test participant joined the room'));
  } catch (err) {
    await record(step('room_joined', false, `không vào được phòng LiveKit / could not join the LiveKit room: ${(err as Error).message}`));
  }
  if (bot) {
    try {
      const from = participant.station(station.code);
      const kioskSays = async (what: 'camera' | 'microphone') => {
        const k = await store.kioskReportOf(d.sql, runId);
        if (!k || k[what] === 'available') return null;
        if (k[what] === 'missing') return what === 'camera' ? 'không có camera / no camera' : 'không có micro / no microphone';
        // unknown: the page could not tell (not open, could not join): its own words
        return k.reason ?? 'kiosk không gửi được / the kiosk could not send it';
      };
      // the tone goes out first, so the kiosk can confirm it while its own media is being checked
      const tone = bot.publishTone().then(
        () => null,
        (err: Error) => err.message,
      );
      const [audio, video] = await Promise.allSettled([
        bot.receive('audio', from, 50, WAIT_MS, () => kioskSays('microphone')),
        bot.receive('video', from, 10, WAIT_MS, () => kioskSays('camera')),
      ]);
      await record(
        audio.status === 'fulfilled'
          ? step('kiosk_audio', true, `nhận ${audio.value} khung âm thanh từ kiosk / ${audio.value} audio frames received from the kiosk`)
          : step('kiosk_audio', false, (audio.reason as Error).message),
      );
      await record(
        video.status === 'fulfilled'
          ? step('kiosk_video', true, `nhận ${video.value} khung hình từ kiosk / ${video.value} video frames received from the kiosk`)
          : step('kiosk_video', false, (video.reason as Error).message),
      );
      const toneError = await tone;
      const k = toneError ? null : await waitForKiosk(d, runId, WAIT_MS);
      await record(
        toneError
          ? step('return_media', false, `không phát được âm thử / the test tone could not be published: ${toneError}`)
          : !k
            ? step('return_media', false, 'trang kiosk không trả lời / no report from the kiosk page')
            : k.receivedAudio && k.receivedVideo !== false
              ? step(
                  'return_media',
                  true,
                  k.receivedVideo
                    ? 'kiosk nhận được âm và hình thử từ hub / the kiosk received the hub test tone and picture'
                    : 'kiosk nghe được âm thử từ hub / the kiosk received the hub test tone',
                )
              : step('return_media', false, k.reason ?? 'kiosk không nhận được âm/hình thử / the kiosk did not receive the test media'),
      );
    } catch (err) {
      // the room is still cleaned up and the run finished; the steps not recorded show as missing
      d.log.error({ err, runId }, 'self-test media check failed');
    }
  }
  let cleanup: SelfTestStep;
  try {
    await bot?.leave();
    await d.media.deleteRoom(room);
    cleanup = step('cleanup', true, 'phòng thử đã đóng / test room closed');
  } catch (err) {
    cleanup = step('cleanup', false, `không đóng được phòng thử / the test room could not be closed: ${(err as Error).message}`);
  }
  await d.sql.begin((tx) => finish(d, tx, runId, [cleanup]));
}

async function waitForKiosk(d: HubDeps, runId: string, ms: number): Promise<SelfTestKioskReport | null> {
  const until = Date.now() + ms;
  for (;;) {
    const k = await store.kioskReportOf(d.sql, runId);
    if (k || Date.now() > until) return k;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ends the run (if nobody else did): the station's timeline, the audit trail and the admins hear of it. */
async function finish(d: HubDeps, tx: Tx, runId: string, extra: SelfTestStep[]): Promise<SelfTestStatus | null> {
  const row = await store.finishSelfTest(tx, runId, extra, SELFTEST_STEPS.length);
  if (!row) return null;
  const st = (await stationBrief(tx, row.station_id))!;
  const failed = row.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.reason}`);
  await insertStationEvents(tx, row.station_id, [{ kind: `selftest.${row.status}`, detail: { runId, trigger: row.trigger, failed } }]);
  await insertAudit(tx, {
    actor: 'hub',
    action: 'station.selftest_result',
    subject: subject.station(st.code),
    detail: { runId, status: row.status, trigger: row.trigger, failed },
  });
  await d.bus.publish(tx, {
    type: 'selftest.changed',
    data: { stationId: row.station_id, runId, status: row.status },
    topics: [topic.admins],
  });
  return row.status;
}

/** Steps a run never reached, failed with why (the first with the reason, the rest "not reached"). */
export function missingSteps(done: SelfTestStep[], requested: boolean): SelfTestStep[] {
  const have = new Set(done.map((s) => s.step));
  const missing = SELFTEST_STEPS.filter((s) => !have.has(s));
  return missing.map((name, i) =>
    step(
      name,
      false,
      i > 0
        ? 'không chạy tới / not reached'
        : requested
          ? 'trạm không đặt SOS thử (agent mất kết nối?) / the station did not place the test SOS (agent offline?)'
          : 'quá thời gian / timed out',
    ),
  );
}

/** Per hub (tests run several in one process): the schedule row is registered once. */
const registered = new WeakMap<HubDeps, Promise<unknown>>();

/** One pass of the fleet tick: overdue runs fail; the nightly schedule, when due, starts a run per station. */
export async function selfTestTick(d: HubDeps): Promise<void> {
  const overdue = await d.sql.begin(async (tx) => {
    const rows = await store.takeOverdue(tx);
    for (const r of rows) await finish(d, tx, r.id, missingSteps(r.steps, r.status === 'requested'));
    return rows;
  });
  for (const r of overdue) if (r.room_name) await d.media.deleteRoom(r.room_name).catch(() => {});
  const nightly = d.config.fleet.selfTest;
  if (!nightly.nightlyAt) return;
  if (!registered.has(d)) registered.set(d, store.upsertSchedule(d.sql, NIGHTLY, nightly.nightlyAt, nightly.tz));
  await registered.get(d)!.catch((err: unknown) => {
    registered.delete(d);
    throw err;
  });
  await d.sql.begin(async (tx) => {
    if (!(await store.takeDueSchedule(tx, NIGHTLY))) return;
    const runs = await store.insertNightlySelfTests(tx, nightly.timeoutS);
    for (const r of runs) await announce(d, tx, { id: r.id, stationId: r.station_id, code: r.code, trigger: 'nightly', by: 'hub:nightly' });
    d.log.info({ stations: runs.length }, 'nightly self-test started');
  });
}
