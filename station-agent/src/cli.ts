// `npm run agent -- enrol <code>`: enrol this kiosk PC as the station an administrator created
// (the hub from HUB_URL; the credential goes to STATION_CREDENTIAL_FILE, mode 0600).
// `npm run agent` (no arguments): run the agent.
import { enrolConfig } from './config.ts';
import { enrolStation } from './fleet/enrol.ts';

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'enrol' || cmd === 'enroll') {
  const code = rest.join('');
  if (!code) {
    console.error('Cách dùng / usage: npm run agent -- enrol <mã đăng ký / enrolment code>');
    process.exit(2);
  }
  const cfg = enrolConfig();
  try {
    const r = await enrolStation({ ...cfg, code });
    console.log(`Đã đăng ký trạm / enrolled as station ${r.station.code} (${r.station.name}); credential in ${cfg.credentialFile}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
} else if (cmd === undefined || cmd === 'run') {
  await import('./main.ts');
} else {
  console.error(`Unknown command ${cmd}. Usage: npm run agent [-- enrol <code>]`);
  process.exit(2);
}
