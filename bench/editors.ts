/**
 * The trigger patterns of real editors, replayed against the server: VS Code asks for inline
 * completion on every keystroke and cancels the previous request; Neovim asks for completion after
 * a client-side debounce and cancels; Helix asks after 250 ms idle (at once on a trigger character)
 * and never cancels.
 */
import type { EditSession } from './session.ts';
import type { Keystroke } from './typing.ts';

export type EditorName = 'vscode' | 'neovim' | 'helix' | 'helix-manual';
/** The patterns of the main replay; `helix-manual` joins them in the answer-style matrix. */
export const EDITORS: EditorName[] = ['vscode', 'neovim', 'helix'];
export const ALL_EDITORS: EditorName[] = ['vscode', 'neovim', 'helix', 'helix-manual'];

export interface EditorPattern {
  readonly name: EditorName;
  readonly description: string;
  /** Declares inline completion in its capabilities. */
  readonly inline: boolean;
  /** Called after each keystroke was applied and sent. */
  keystroke(session: EditSession, key: Keystroke): void;
  /** Forgets timers at the end of a document. */
  stop(): void;
  /** True while a timer may still send a request. */
  readonly waiting: boolean;
}

/** CompletionTriggerKind: Invoked 1, TriggerCharacter 2; InlineCompletionTriggerKind Automatic 2. */
const INVOKED = 1;
const TRIGGER_CHARACTER = 2;
const INLINE_AUTOMATIC = 2;

function cancelPending(session: EditSession): void {
  for (const record of session.pending) record.cancel?.cancel();
}

class VsCode implements EditorPattern {
  readonly name = 'vscode';
  readonly description = 'inlineCompletion (Automatic) on every keystroke; $/cancelRequest for the previous one';
  readonly inline = true;
  readonly waiting = false;
  keystroke(session: EditSession, _key: Keystroke): void {
    cancelPending(session);
    session.request('inline', INLINE_AUTOMATIC, true, false);
  }
  stop(): void {}
}

class Neovim implements EditorPattern {
  readonly name = 'neovim';
  readonly description =
    'completion after 150 ms without keys (TriggerCharacter after one, else Invoked); pending request cancelled on each key';
  readonly inline = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly triggers: Set<string>;
  constructor(triggers: Set<string>) {
    this.triggers = triggers;
  }
  get waiting(): boolean {
    return this.timer !== undefined;
  }
  keystroke(session: EditSession, key: Keystroke): void {
    cancelPending(session);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const kind = key.kind === 'insert' && this.triggers.has(key.text.charAt(0)) ? TRIGGER_CHARACTER : INVOKED;
      session.request('completion', kind, kind === TRIGGER_CHARACTER, false);
    }, 150);
  }
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

class Helix implements EditorPattern {
  readonly name = 'helix';
  readonly description =
    'completion at once after a trigger character, else after 250 ms idle when the word has 2+ characters (completion-trigger-len) and no request is in flight; never cancels, drops the answer of a request once it sent a newer one';
  readonly inline = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly triggers: Set<string>;
  constructor(triggers: Set<string>) {
    this.triggers = triggers;
  }
  get waiting(): boolean {
    return this.timer !== undefined;
  }
  keystroke(session: EditSession, key: Keystroke): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (key.kind === 'insert' && this.triggers.has(key.text.charAt(0))) {
      session.request('completion', TRIGGER_CHARACTER, true, true);
      return;
    }
    // While a request is in flight Helix ignores the idle trigger of a key (AutoTrigger sets no new
    // trigger then: helix-term/src/handlers/completion/request.rs); only a trigger character asks again.
    if (session.pending.length > 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (session.wordBefore.length >= 2) session.request('completion', INVOKED, false, true);
    }, 250);
  }
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** How long a typist who stopped takes to decide and press Helix's completion key (Ctrl-x). */
export const MANUAL_TRIGGER_MS = 350;

/**
 * Helix with `auto-completion = false`: completion only when the user asks for it. Modelled as a
 * typist who, having stopped typing for MANUAL_TRIGGER_MS, presses Ctrl-x (Invoked); typing on
 * before that means they did not need it. Never cancels; late answers are re-filtered, and dropped
 * once a newer request was sent.
 */
class HelixManual implements EditorPattern {
  readonly name = 'helix-manual';
  readonly description =
    `completion only on Ctrl-x, pressed ${MANUAL_TRIGGER_MS} ms after the typist stops (Invoked); never cancels`;
  readonly inline = false;
  private timer: NodeJS.Timeout | undefined;
  get waiting(): boolean {
    return this.timer !== undefined;
  }
  keystroke(session: EditSession, _key: Keystroke): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      session.request('completion', INVOKED, false, true);
    }, MANUAL_TRIGGER_MS);
  }
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export function createEditor(name: EditorName, triggerCharacters: readonly string[]): EditorPattern {
  const triggers = new Set(triggerCharacters);
  switch (name) {
    case 'vscode':
      return new VsCode();
    case 'neovim':
      return new Neovim(triggers);
    case 'helix':
      return new Helix(triggers);
    case 'helix-manual':
      return new HelixManual();
  }
}
