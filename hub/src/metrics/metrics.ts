// The hub's Prometheus metrics (prom-client). One registry per hub instance (tests run several
// in one process); Prometheus sums instances. Counters and histograms are observed where the
// thing happens; gauges of state PostgreSQL holds (ringing calls, queue depths) are read from it
// at scrape time, so there is no second bookkeeping to drift.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Sql } from '../db/client.ts';
import { callGauges, upstreamQueueDepth } from './store.ts';

export interface Metrics {
  registry: Registry;
  ringToAnswer: Histogram;
  callsRaised: Counter<'kind'>;
  callsAbandoned: Counter;
  escalations: Counter<'to'>;
  /** Answered calls whose media was lost (the room's LiveKit node died), by how it was seen. */
  mediaLost: Counter<'via'>;
  vitalsIngested: Counter;
  vitalsRejected: Counter<'reason'>;
  httpRequests: Histogram<'method' | 'route' | 'status'>;
  /** Open realtime sockets of this instance by role (and police by ward), set by the socket server. */
  sockets: Gauge<'role'>;
  policeConsoles: Gauge<'ward'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tram_hub_' });
  const m: Metrics = {
    registry,
    ringToAnswer: new Histogram({
      name: 'tram_call_ring_to_answer_seconds',
      help: 'From the call being stored (ringing) to an officer answering it',
      // NENA-STA-020 marks: 15 s and 20 s
      buckets: [1, 2, 5, 10, 15, 20, 30, 60, 90, 180],
      registers: [registry],
    }),
    callsRaised: new Counter({
      name: 'tram_calls_raised_total',
      help: 'Emergency calls created',
      labelNames: ['kind'],
      registers: [registry],
    }),
    callsAbandoned: new Counter({
      name: 'tram_calls_abandoned_total',
      help: 'Calls that ended before anyone answered',
      registers: [registry],
    }),
    escalations: new Counter({
      name: 'tram_call_escalations_total',
      help: 'Escalation steps applied, by who was rung next',
      labelNames: ['to'],
      registers: [registry],
    }),
    mediaLost: new Counter({
      name: 'tram_call_media_lost_total',
      help: "Answered calls whose room's LiveKit node died, by how it was seen (watch, room_restarted)",
      labelNames: ['via'],
      registers: [registry],
    }),
    vitalsIngested: new Counter({ name: 'tram_vitals_ingested_total', help: 'Observations validated and stored', registers: [registry] }),
    vitalsRejected: new Counter({
      name: 'tram_vitals_rejected_total',
      help: 'Readings refused (validation failures and bad frames)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    httpRequests: new Histogram({
      name: 'tram_http_request_seconds',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sockets: new Gauge({ name: 'tram_ws_connections', help: 'Open realtime sockets by role', labelNames: ['role'], registers: [registry] }),
    policeConsoles: new Gauge({
      name: 'tram_police_consoles_online',
      help: 'Police consoles connected to this instance, by ward id',
      labelNames: ['ward'],
      registers: [registry],
    }),
  };
  return m;
}

/** Gauges read from PostgreSQL when Prometheus scrapes (at most once per scrape). */
export function readFromDatabase(m: Metrics, sql: Sql) {
  const ringing = new Gauge({ name: 'tram_calls_ringing', help: 'Calls ringing now (all instances)', registers: [m.registry] });
  const oldest = new Gauge({
    name: 'tram_calls_ringing_oldest_seconds',
    help: 'How long the longest-ringing call has rung (0 when none)',
    registers: [m.registry],
  });
  const active = new Gauge({ name: 'tram_calls_active', help: 'Answered calls in progress (all instances)', registers: [m.registry] });
  const upstream = new Gauge({
    name: 'tram_fhir_upstream_queue_depth',
    help: 'Observations waiting for the upstream FHIR server',
    registers: [m.registry],
  });
  const dbUp = new Gauge({ name: 'tram_database_up', help: '1 when the scrape could read PostgreSQL', registers: [m.registry] });
  // One read per scrape, shared by the gauges; a failed read says so instead of failing the scrape.
  return async () => {
    try {
      const [calls, depth] = await Promise.all([callGauges(sql), upstreamQueueDepth(sql)]);
      ringing.set(calls.ringing);
      oldest.set(calls.oldestRingingS);
      active.set(calls.active);
      upstream.set(depth);
      dbUp.set(1);
    } catch {
      dbUp.set(0);
    }
  };
}
