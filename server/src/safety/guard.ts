/**
 * The prompt guard that completion and code actions call around every model call: excluded files
 * never reach a prompt (and the user hears why, once per rule), secrets in prompts become stable
 * placeholders, and credentials are scrubbed from answers. Built from the `safety` settings.
 */
import path from 'node:path';
import type { Prompt, PromptGuard } from '../calls/guard.ts';
import { createExclusion, type Exclusion } from './exclude.ts';
import { typingSecretAt } from './partial.ts';
import { createRedactor, type RedactionResult } from './redact.ts';
import { scrubOutput } from './scrub.ts';

export interface SafetySettings {
  redact: boolean;
  scrubOutput: boolean;
  /** Extra exclusion patterns (gitignore syntax) after the defaults. */
  exclude: string[];
}

export interface PromptGuardOptions {
  settings: () => SafetySettings;
  workspaceRoot: () => string | undefined;
  /**
   * The caret marker of completion prompts. Secrets are detected in the text with the marker taken
   * out, so a secret the caret sits in is still one token, and a key being typed is caught.
   */
  cursorMarker?: string;
  /** Tells the user why a file gets no suggestions; called once per exclusion rule. */
  notify?: (message: string) => void;
  logger?: { debug(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

const identity = (text: string): string => text;

/** Redacted prompt blocks remembered (a few prompts' snippets), so a block seen before is not scanned again. */
const REMEMBERED_BLOCKS = 64;

type Redacted = Pick<RedactionResult, 'text' | 'count' | 'kinds' | 'restore'>;

export function createPromptGuard(options: PromptGuardOptions): PromptGuard {
  // One redactor per process: the same secret keeps its placeholder, so prompts stay cacheable.
  const redactor = createRedactor();
  const told = new Set<string>();
  let exclusion: { signature: string; value: Exclusion } | undefined;
  // Redaction of the self-contained blocks of recent prompts (their snippets), most recent last.
  const blocks = new Map<string, Redacted>();

  function currentExclusion(): Exclusion {
    const root = options.workspaceRoot();
    const globs = options.settings().exclude;
    const signature = JSON.stringify([root ?? null, globs]);
    if (exclusion?.signature !== signature)
      exclusion = { signature, value: createExclusion({ workspaceRoot: root, globs }) };
    return exclusion.value;
  }

  function shown(filePath: string): string {
    const root = options.workspaceRoot();
    if (root === undefined || !path.isAbsolute(filePath)) return filePath;
    const relative = path.relative(root, filePath);
    return relative.startsWith('..') || path.isAbsolute(relative) ? filePath : relative;
  }

  function redactText(text: string): RedactionResult {
    const marker = options.cursorMarker;
    const at = marker === undefined ? -1 : text.indexOf(marker);
    if (marker === undefined || at < 0) return redactor.redact(text);
    const joined = text.slice(0, at) + text.slice(at + marker.length);
    const typing = typingSecretAt(joined, at);
    const result = redactor.redact(joined, typing === undefined ? [] : [typing]);
    const caret = result.mapOffset(at);
    return { ...result, text: result.text.slice(0, caret) + marker + result.text.slice(caret) };
  }

  /** A block already redacted in an earlier prompt is not scanned again: snippets repeat keystroke after keystroke. */
  function redactBlock(text: string): Redacted {
    const known = blocks.get(text);
    if (known !== undefined) {
      blocks.delete(text);
      blocks.set(text, known);
      return known;
    }
    const result = redactText(text);
    blocks.set(text, result);
    if (blocks.size > REMEMBERED_BLOCKS) blocks.delete(blocks.keys().next().value!);
    return result;
  }

  /** The input redacted block by block (`breaks`: where blocks end, calls/guard.ts), the rest as one text. */
  function redactInput(input: string, breaks: readonly number[] | undefined): Redacted {
    if (breaks === undefined || breaks.length === 0) return redactText(input);
    const parts: Redacted[] = [];
    let from = 0;
    for (const at of breaks) {
      if (at <= from || at > input.length) continue;
      parts.push(redactBlock(input.slice(from, at)));
      from = at;
    }
    parts.push(redactText(input.slice(from)));
    const withSecrets = parts.filter((part) => part.count > 0);
    return {
      text: parts.map((part) => part.text).join(''),
      count: withSecrets.reduce((sum, part) => sum + part.count, 0),
      kinds: [...new Set(withSecrets.flatMap((part) => part.kinds))],
      restore:
        withSecrets.length === 0 ? identity : (text) => withSecrets.reduce((out, part) => part.restore(out), text),
    };
  }

  return {
    refuse(filePath: string): string | undefined {
      const decision = currentExclusion().isExcluded(filePath);
      if (!decision.excluded) return undefined;
      const rule = decision.rule ?? 'an exclusion rule';
      const name = shown(filePath);
      options.logger?.debug({ event: 'excluded', rule }, 'file excluded from prompts');
      if (!told.has(rule)) {
        told.add(rule);
        options.notify?.(
          `ghostline: no AI suggestions for ${name}: files matching "${rule}" never leave this machine. Change safety.exclude or .ghostlineignore to allow them.`,
        );
      }
      return `${name} is excluded from prompts (${rule})`;
    },

    prepare(prompt: Prompt): { prompt: Prompt; restore: (text: string) => string; redactions: number } {
      if (!options.settings().redact) return { prompt, restore: identity, redactions: 0 };
      const instructions = redactText(prompt.instructions);
      const input = redactInput(prompt.input, prompt.blocks);
      const redactions = instructions.count + input.count;
      if (redactions > 0)
        options.logger?.debug(
          { event: 'redacted', count: redactions, kinds: [...new Set([...instructions.kinds, ...input.kinds])] },
          'secrets redacted from the prompt',
        );
      return {
        prompt: { instructions: instructions.text, input: input.text },
        restore: redactions === 0 ? identity : (text) => input.restore(instructions.restore(text)),
        redactions,
      };
    },

    scrub(text: string): string {
      if (!options.settings().scrubOutput) return text;
      const result = scrubOutput(text);
      if (result.removed > 0)
        options.logger?.info({ event: 'scrubbed', removed: result.removed }, 'credentials removed from a model answer');
      return result.text;
    },
  };
}
