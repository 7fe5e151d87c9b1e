// The agent's part of the station self-test: when the hub asks (station.selftest over /ws), place
// the test SOS (never through the real SOS outbox: a test must not hold up or look like a real
// call), hand the test room's grant to the kiosk page, and relay the page's report to the hub.
import type { AgentEvent, SelfTestKioskReport, SelfTestSosView } from '@tram/contracts';

type Hub = (method: 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export function selfTests(o: {
  hub: Hub;
  pages: () => number;
  /** Why the kiosk's camera and microphone must not be taken now (a real SOS in progress), or null. */
  busy: () => string | null;
  send: (e: AgentEvent) => void;
  log: (m: string) => void;
}) {
  const report = (r: SelfTestKioskReport) =>
    o.hub('POST', `/api/station/self-tests/${r.runId}/kiosk`, r).catch(() => ({ status: 503, body: null }));
  return {
    async requested(runId: string): Promise<void> {
      let answer: { status: number; body: unknown } | null = null;
      // a few tries: the same run id makes a retry the same test SOS (the hub keeps one run)
      for (let i = 0; i < 3 && answer?.status !== 200; i++) {
        if (i) await new Promise((r) => setTimeout(r, 500 * i));
        answer = await o.hub('POST', `/api/station/self-tests/${runId}/sos`).catch(() => null);
      }
      if (answer?.status !== 200) return o.log(`self-test ${runId}: the test SOS was refused (${answer?.status ?? 'hub unreachable'})`);
      // The page is not asked to test while a resident's SOS holds its camera and microphone.
      const skip = o.busy() ?? (o.pages() === 0 ? 'trang kiosk không mở / the kiosk page is not open' : null);
      if (skip) {
        await report({ runId, camera: 'unknown', microphone: 'unknown', receivedAudio: false, reason: skip });
        return;
      }
      o.send({ type: 'selftest.media', data: { runId, media: (answer.body as SelfTestSosView).media } });
    },
    report,
  };
}
