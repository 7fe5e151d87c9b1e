// Reads a secret the way a careful CLI does: from a terminal prompt with no echo, or from stdin when
// it is piped (automation). Never from argv: the command line ends up in shell history and `ps`.
import type { Readable, Writable } from 'node:stream';

type TtyInput = Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };

/** The first line of piped stdin, or what is typed at a hidden prompt. */
export async function readSecret(prompt: string, input: TtyInput = process.stdin, output: Writable = process.stderr): Promise<string> {
  if (input.isTTY && input.setRawMode) return promptHidden(prompt, input, output);
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += chunk as string;
  return text.split(/\r?\n/)[0] ?? '';
}

function promptHidden(prompt: string, input: TtyInput, output: Writable): Promise<string> {
  output.write(prompt);
  input.setRawMode!(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    // Raw mode: we see every key, so Enter, Backspace and Ctrl+C/Ctrl+D are handled here.
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}
