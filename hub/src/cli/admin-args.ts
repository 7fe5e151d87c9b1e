// Argument rules of the admin CLI, apart so they can be tested without a database.
import { STAFF_ROLES } from '@tram/contracts';
import type { Role } from '../auth/staff.ts';

export const USAGE = `usage: npm run admin -- <command>
  create-admin <username> [--display-name <name>]
  create-staff <username> --role police|command|clinician|medic|commune_officer|building_manager [--display-name <name>] [--ward <ward code>]…
  add-ward <code> --name <name> --city <province or city> [--neighbour <ward code>]…
  set-neighbours <ward code> --neighbour <ward code>…   (the wards rung next, at T1, for this ward's unanswered calls; replaces the list)
Passwords are read from a hidden prompt, or from the first line of stdin when piped:
  printf '%s\\n' "$PASSWORD" | npm run admin -- create-admin alice`;

export const MIN_PASSWORD = 12;

export type AdminCommand =
  | { command: 'create-staff'; username: string; displayName: string; role: Role; wards: string[] }
  | { command: 'add-ward'; code: string; name: string; city: string; neighbours: string[] }
  | { command: 'set-neighbours'; code: string; neighbours: string[] };

const ON_COMMAND_LINE =
  'a password is never taken on the command line (it would stay in shell history and show in ps): type it at the prompt or pipe it on stdin';
const FLAGS: Record<string, string[]> = {
  'create-admin': ['--display-name'],
  'create-staff': ['--display-name', '--role', '--ward'],
  'add-ward': ['--name', '--city', '--neighbour'],
  'set-neighbours': ['--neighbour'],
};

export function parseAdminArgs(argv: string[]): AdminCommand | { error: string } {
  const [command, subject, ...rest] = argv;
  if (!command || !FLAGS[command]) return { error: command ? `unknown command: ${command}` : 'no command given' };
  if (rest.some((a) => /^--?(p|pass|passwd|password|pw)(=|$)/i.test(a))) return { error: `refusing the password: ${ON_COMMAND_LINE}` };
  if (!subject || !/^[A-Za-z0-9._-]{3,64}$/.test(subject)) {
    return {
      error: `the ${command === 'add-ward' || command === 'set-neighbours' ? 'ward code' : 'username'} must be 3–64 letters, digits, dots, dashes or underscores`,
    };
  }
  const flags = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i]!, rest[i + 1]];
    // Unknown words are not echoed back: they may be a password.
    if (!FLAGS[command]!.includes(flag) || value === undefined || value.startsWith('--'))
      return { error: `unexpected arguments; ${ON_COMMAND_LINE}` };
    flags.set(flag, [...(flags.get(flag) ?? []), value.trim()]);
  }
  const one = (f: string) => flags.get(f)?.at(-1);
  const neighbours = flags.get('--neighbour') ?? [];
  if (neighbours.includes(subject)) return { error: 'a ward is not its own neighbour' };
  if (command === 'add-ward') {
    // Two-level government (since July 2025): a ward belongs to a province or city, no district.
    const [name, city] = [one('--name'), one('--city')];
    if (!name || !city) return { error: 'add-ward needs --name and --city' };
    return { command, code: subject, name, city, neighbours };
  }
  if (command === 'set-neighbours') {
    if (!neighbours.length) return { error: 'set-neighbours needs at least one --neighbour <ward code>' };
    return { command, code: subject, neighbours };
  }
  const role = command === 'create-admin' ? 'admin' : one('--role');
  const allowed = command === 'create-admin' || (STAFF_ROLES as readonly string[]).filter((r) => r !== 'admin').includes(role ?? '');
  if (!allowed || !role) return { error: `create-staff needs --role ${STAFF_ROLES.filter((r) => r !== 'admin').join(', ')}` };
  return {
    command: 'create-staff',
    username: subject,
    displayName: one('--display-name') || subject,
    role: role as Role,
    wards: flags.get('--ward') ?? [],
  };
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD)
    return `the password must be at least ${MIN_PASSWORD} characters${password ? '' : ' (nothing was read)'}`;
  if (password.length > 256) return 'the password must be at most 256 characters';
  return undefined;
}
