/**
 * A seeded model of a person typing code: log-normal gaps between keys, short bursts through
 * familiar words, pauses after punctuation and at line ends, occasional thinking pauses, and
 * typos fixed with Backspace. Enter inserts the next line's indentation too, as editors auto-indent.
 */
import { mulberry32 } from '../test/fake-openai/rng.ts';

export interface Keystroke {
  /** Milliseconds after the segment starts. */
  atMs: number;
  kind: 'insert' | 'backspace';
  /** Inserted text (one character, or a newline plus indentation); '' for backspace. */
  text: string;
}

export interface TypingModel {
  /** Median gap between ordinary keys. */
  medianGapMs: number;
  /** Spread of the log-normal gap (sigma of ln). */
  sigma: number;
  /** Chance that a word starts a burst of fast keys. */
  burstChance: number;
  burstGapMs: [number, number];
  /** Extra pause after punctuation such as `;` `,` `(` `)`. */
  punctuationPauseMs: [number, number];
  /** Pause before pressing Enter, and before the first key of the new line. */
  lineEndPauseMs: [number, number];
  /** Chance per key of stopping to think, and for how long. */
  thinkChance: number;
  thinkPauseMs: [number, number];
  /** Chance per letter of hitting a neighbouring key first. */
  typoChance: number;
}

export const HUMAN: TypingModel = {
  medianGapMs: 140,
  sigma: 0.35,
  burstChance: 0.12,
  burstGapMs: [45, 75],
  punctuationPauseMs: [80, 300],
  lineEndPauseMs: [300, 900],
  thinkChance: 0.012,
  thinkPauseMs: [1000, 2200],
  typoChance: 0.02,
};

/** A gap counts as a typing pause when it is at least this long (the unit of "model calls per pause"). */
export const PAUSE_MS = 500;

const PUNCTUATION = new Set([';', ',', '(', ')', '{', '}', '[', ']', ':', '=']);

export function typeSegment(text: string, seed: number, model: TypingModel = HUMAN): Keystroke[] {
  const random = mulberry32(seed);
  const uniform = ([low, high]: [number, number]) => low + random() * (high - low);
  // Box-Muller from two uniforms, so the gaps are log-normal around the median.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const gap = () => Math.min(900, Math.max(35, model.medianGapMs * Math.exp(model.sigma * normal())));

  const keys: Keystroke[] = [];
  let at = 0;
  let burstLeft = 0;
  const press = (delay: number, kind: Keystroke['kind'], inserted: string) => {
    at += delay;
    keys.push({ atMs: Math.round(at), kind, text: inserted });
  };

  // The first line's indentation arrives at once, as if the editor had indented the new line.
  let i = 0;
  const indent = /^[ \t]*/.exec(text)![0];
  if (indent) {
    press(0, 'insert', indent);
    i = indent.length;
  }
  while (i < text.length) {
    const char = text[i]!;
    const previous = i > 0 ? text[i - 1]! : '';
    let delay: number;
    if (burstLeft > 0) {
      delay = uniform(model.burstGapMs);
      burstLeft--;
    } else {
      delay = gap();
      if (/\w/.test(char) && !/\w/.test(previous) && random() < model.burstChance)
        burstLeft = 3 + Math.floor(random() * 6);
    }
    if (PUNCTUATION.has(previous)) delay += uniform(model.punctuationPauseMs);
    if (random() < model.thinkChance) delay += uniform(model.thinkPauseMs);
    if (char === '\n') {
      const nextIndent = /^[ \t]*/.exec(text.slice(i + 1))![0];
      press(delay + uniform(model.lineEndPauseMs), 'insert', `\n${nextIndent}`);
      i += 1 + nextIndent.length;
      // Reading the next line before typing it.
      at += uniform(model.lineEndPauseMs);
      burstLeft = 0;
      continue;
    }
    if (/[a-z]/i.test(char) && random() < model.typoChance) {
      const wrong = String.fromCharCode(char.charCodeAt(0) + (char === 'z' || char === 'Z' ? -1 : 1));
      press(delay, 'insert', wrong);
      press(uniform([200, 450]), 'backspace', '');
      delay = uniform([100, 220]);
      burstLeft = 0;
    }
    press(delay, 'insert', char);
    i++;
  }
  return keys;
}

/** How many typing pauses a key sequence contains: gaps of PAUSE_MS or more, plus the final stop. */
export function countPauses(keys: readonly Keystroke[]): number {
  let pauses = keys.length > 0 ? 1 : 0;
  for (let k = 1; k < keys.length; k++) if (keys[k]!.atMs - keys[k - 1]!.atMs >= PAUSE_MS) pauses++;
  return pauses;
}
