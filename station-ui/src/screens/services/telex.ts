// Telex: Vietnamese typing with plain Latin keys. `telexKey(text, key)` returns the text after
// one key press; it works on the last word only and reads its state back from the text itself
// (tone and vowel marks), so the on-screen keyboard keeps no hidden state.
//   aa â · ee ê · oo ô · aw ă · ow ơ · uw ư · uow ươ · w ư · dd đ
//   s sắc · f huyền · r hỏi · x ngã · j nặng · z no tone; the same mark twice undoes it (ass → as)
// The tone goes where Vietnamese spelling puts it: on the marked vowel (ê ơ â ă ô ư), else on the
// last vowel before a final consonant, the middle of three, the first of two (hòa, của, thủy);
// "qu" and "gi" count as consonants (quyết, giấy).

const TONE_KEYS: Record<string, string> = { s: '\u0301', f: '\u0300', r: '\u0309', x: '\u0303', j: '\u0323' };
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const VOWELS = 'aăâeêioôơuưy';
const MARKED = 'ăâêôơư';

const isVowel = (c: string) => VOWELS.includes(c.toLowerCase());
const withCase = (model: string, c: string) => (model === model.toUpperCase() && model !== model.toLowerCase() ? c.toUpperCase() : c);

function split(word: string): { letters: string[]; tone: string } {
  const nfd = word.normalize('NFD');
  const tone = nfd.match(TONE_MARKS)?.[0] ?? '';
  return { letters: [...nfd.replace(TONE_MARKS, '').normalize('NFC')], tone };
}

/** [start, end) of the vowel nucleus of the word (the last run of vowels), or null. */
function nucleus(letters: string[]): [number, number] | null {
  let end = -1;
  for (let i = letters.length - 1; i >= 0; i--)
    if (isVowel(letters[i]!)) {
      end = i + 1;
      break;
    }
  if (end < 0) return null;
  let start = end - 1;
  while (start > 0 && isVowel(letters[start - 1]!)) start--;
  const lower = letters.map((c) => c.toLowerCase()).join('');
  // "qu" and "gi" (before another vowel) are consonants
  if (start === 1 && end - start > 1 && ((lower[0] === 'q' && lower[1] === 'u') || (lower[0] === 'g' && lower[1] === 'i'))) start = 2;
  return [start, end];
}

function tonePosition(letters: string[]): number | null {
  const n = nucleus(letters);
  if (!n) return null;
  const [start, end] = n;
  for (let i = end - 1; i >= start; i--) if (MARKED.includes(letters[i]!.toLowerCase())) return i;
  const len = end - start;
  if (len === 1) return start;
  if (end < letters.length) return end - 1; // a final consonant follows
  return len === 3 ? start + 1 : start;
}

function join(letters: string[], tone: string): string {
  const pos = tone ? tonePosition(letters) : null;
  return letters
    .map((c, i) => (i === pos ? c + tone : c))
    .join('')
    .normalize('NFC');
}

const MODS: Record<string, Record<string, string>> = {
  a: { a: 'â' },
  e: { e: 'ê' },
  o: { o: 'ô' },
  w: { a: 'ă', o: 'ơ', u: 'ư' },
};
const UNMOD: Record<string, string> = { â: 'a', ê: 'e', ô: 'o', ă: 'a', ơ: 'o', ư: 'u' };

function pressInWord(word: string, key: string): string {
  const k = key.toLowerCase();
  const { letters, tone } = split(word);
  const n = nucleus(letters);
  if (k in TONE_KEYS && n) {
    if (tone === TONE_KEYS[k]) return join([...letters, key], '');
    return join(letters, TONE_KEYS[k]!);
  }
  if (k === 'z' && tone) return join(letters, '');
  if (k === 'd' && letters.length > 0) {
    const first = letters[0]!.toLowerCase();
    if (first === 'd') return join([withCase(letters[0]!, 'đ'), ...letters.slice(1)], tone);
    if (first === 'đ') return join([withCase(letters[0]!, 'd'), ...letters.slice(1), key], tone);
  }
  if (k === 'w' || k === 'a' || k === 'e' || k === 'o') {
    const mods = MODS[k]!;
    if (n) {
      const [start, end] = n;
      const lower = letters.map((c) => c.toLowerCase());
      // uo + w → ươ
      if (k === 'w')
        for (let i = start; i < end - 1; i++)
          if ((lower[i] === 'u' || lower[i] === 'ư') && lower[i + 1] === 'o') {
            const out = [...letters];
            out[i] = withCase(letters[i]!, 'ư');
            out[i + 1] = withCase(letters[i + 1]!, 'ơ');
            return join(out, tone);
          }
      for (let i = end - 1; i >= start; i--) {
        const c = lower[i]!;
        if (mods[c]) {
          const out = [...letters];
          out[i] = withCase(letters[i]!, mods[c]);
          return join(out, tone);
        }
        if (Object.values(mods).includes(c)) {
          // the same modifier again: undo it and type the key
          const out = [...letters];
          out[i] = withCase(letters[i]!, UNMOD[c]!);
          return join([...out, key], tone);
        }
      }
    } else if (k === 'w') return join([...letters, withCase(key, 'ư')], tone);
  }
  return join([...letters, key], tone);
}

/** The text after pressing `key` (one character) with Telex on. */
export function telexKey(text: string, key: string): string {
  if (!/^[A-Za-z]$/.test(key)) return text + key;
  const cut = text.search(/[^\s.,;:!?()/-]*$/);
  return text.slice(0, cut) + pressInWord(text.slice(cut), key);
}

/** A whole string typed key by key (tests, and a physical keyboard's input). */
export const telexType = (keys: string, start = ''): string => [...keys].reduce(telexKey, start);
