// Argument rules of the admin CLI, apart so they can be tested without a database.
export const USAGE = `usage: npm run admin -- create-admin <username> [--display-name <name>]
The password is read from a hidden prompt, or from the first line of stdin when piped:
  printf '%s\\n' "$PASSWORD" | npm run admin -- create-admin alice`;

export const MIN_PASSWORD = 12;

export type AdminArgs = { command: 'create-admin'; username: string; displayName: string } | { error: string };

export function parseAdminArgs(argv: string[]): AdminArgs {
  const [command, username, ...rest] = argv;
  if (command !== 'create-admin') return { error: command ? `unknown command: ${command}` : 'no command given' };
  const onCommandLine = 'a password is never taken on the command line (it would stay in shell history and show in ps): type it at the prompt or pipe it on stdin';
  if (rest.some((a) => /^--?(p|pass|passwd|password|pw)(=|$)/i.test(a))) return { error: `refusing the password: ${onCommandLine}` };
  if (!username || !/^[A-Za-z0-9._-]{3,64}$/.test(username)) return { error: 'the username must be 3–64 letters, digits, dots, dashes or underscores' };
  // Extra words are not echoed back: they may be a password.
  if (rest.length && !(rest.length === 2 && rest[0] === '--display-name')) return { error: `unexpected arguments; ${onCommandLine}` };
  const displayName = rest[1]?.trim() || username;
  return { command, username, displayName };
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD) return `the password must be at least ${MIN_PASSWORD} characters${password ? '' : ' (nothing was read)'}`;
  if (password.length > 256) return 'the password must be at most 256 characters';
  return undefined;
}
