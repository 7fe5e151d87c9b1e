// `npm start`: the whole system on embedded defaults (see scripts/system.ts): PostgreSQL, LiveKit,
// the hub with the consoles, the station agent with the kiosk page and, on demo data without real
// devices, the demo station. Into its embedded database it seeds demo data and prints the logins;
// into a DATABASE_URL it seeds nothing demo unless `npm start -- --demo`.
import type { DemoStation } from '@tram/testing/demo';
import { StartRefused, startSystem } from './system.ts';

let system: Awaited<ReturnType<typeof startSystem>>;
try {
  system = await startSystem(process.env, process.argv.slice(2));
} catch (err) {
  console.error(err instanceof StartRefused ? `npm start: ${err.message}` : err);
  process.exit(1);
}
const { demo, demoStation } = system;

console.log(`
Trạm is running.
  Station kiosk:         ${system.kioskUrl ?? 'not started (no STATION_CREDENTIAL or STATION_CREDENTIAL_FILE)'}
  Police console:        ${system.hubUrl}/police/
  Clinician console:     ${system.hubUrl}/clinician/
  Admin console:         ${system.hubUrl}/admin/  (fleet, enrolment, staff, audit)
  Hub health:            ${system.hubUrl}/healthz
${
  system.cluster
    ? `  Cluster:               hubs ${system.cluster.hubs.join(', ')} behind ${system.hubUrl}; LiveKit nodes ${system.cluster.livekit.join(', ')} on Redis
`
    : ''
}  LiveKit:               ${system.livekitUrl}
  PostgreSQL:            ${system.databaseUrl.replace(/:[^:@/]+@/, ':***@')}
${
  demo
    ? `Demo logins (password ${demo.logins[0]!.password}):
${demo.logins.map((l) => `  ${l.role.padEnd(9)} ${l.username}`).join('\n')}`
    : `No demo data was seeded into DATABASE_URL (\`npm start -- --demo\` would). Create the first administrator with:
  DATABASE_URL=… npm run admin -- create-admin <username>
(the password is asked for, or read from stdin; see docs/deploy-hub.md).`
}
${demoStation ? demoBanner(demoStation) : `Demo station: off (${system.demoOff}).`}
Press Ctrl+C to stop.`);

function demoBanner(d: DemoStation): string {
  return `Demo station control:  ${d.controlUrl}  (insert a card, step on the scale, choose normal or abnormal values)
Demo residents (made-up people; type the CAN on the kiosk):
${d.residents.map((r) => `  ${r.fullName.padEnd(18)} CAN ${r.can}`).join('\n')}
Try:
  SOS:          press the red button on the kiosk; answer in the police console (canbo.an).
  ID card:      "Đưa thẻ vào" on the control page, type the CAN on the kiosk: you are greeted by name.
  Health check: with a card in, "Khám sức khỏe" on the kiosk; use the booth buttons on the control page.
  Doctor:       after the health check, "Gặp bác sĩ ngay"; accept it in the clinician console (bacsi.dung).`;
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await system.stop();
  process.exit(code);
}
system.onExit((what, code) => {
  console.error(`${what} exited (${code}); stopping`);
  void shutdown(1);
});
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
