/**
 * Shows text results to clients that did not opt in to `ghostline/stream`: a Markdown file under
 * the OS temp directory opened with `window/showDocument` where the client supports it, else a
 * `window/showMessage`. Also asks the user to pick among refactor variants.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, Connection } from 'vscode-languageserver';

/** Where explanation files go; one file per run, named by its id. */
export function markdownDir(): string {
  return join(tmpdir(), 'ghostline');
}

/** Writes the Markdown and asks the client to show it; false when it cannot or would not. */
export async function showMarkdown(connection: Connection, client: ClientCapabilities, name: string, markdown: string): Promise<boolean> {
  if (client.window?.showDocument?.support !== true) return false;
  try {
    mkdirSync(markdownDir(), { recursive: true });
    const path = join(markdownDir(), `${name}.md`);
    writeFileSync(path, markdown);
    const result = await connection.window.showDocument({ uri: pathToFileURL(path).href, takeFocus: true });
    return result.success;
  } catch {
    return false;
  }
}

/** An explanation for a client without streaming: a document where possible, else a message. */
export async function presentText(connection: Connection, client: ClientCapabilities, name: string, title: string, text: string): Promise<'document' | 'message'> {
  if (await showMarkdown(connection, client, name, `# ${title}\n\n${text}\n`)) return 'document';
  void connection.sendNotification('window/showMessage', { type: 3, message: `${title}\n\n${text}` });
  return 'message';
}

/**
 * Asks which variant to apply (window/showMessageRequest buttons). Returns its index, null when the
 * user dismissed the question, or undefined when the client cannot ask.
 */
export async function pickVariant(connection: Connection, titles: string[]): Promise<number | null | undefined> {
  const actions = titles.map((title, i) => ({ title: `${i + 1}: ${title}` }));
  try {
    const picked = await connection.sendRequest<{ title: string } | null>('window/showMessageRequest', {
      type: 3,
      message: `ghostline: ${titles.length} refactor variants. Pick one to apply:`,
      actions,
    });
    if (!picked) return null;
    const index = actions.findIndex((action) => action.title === picked.title);
    return index === -1 ? null : index;
  } catch {
    return undefined;
  }
}

/** Preset instructions offered as buttons when "Refactor with instruction…" runs without one. */
export const PRESET_INSTRUCTIONS = ['Simplify', 'Make it more idiomatic', 'Improve names', 'Add error handling', 'Add type annotations'];

/** Asks for an instruction among the presets; undefined when the client cannot ask or the user declined. */
export async function pickInstruction(connection: Connection): Promise<string | undefined> {
  try {
    const picked = await connection.sendRequest<{ title: string } | null>('window/showMessageRequest', {
      type: 3,
      message: 'ghostline: how should the selection be refactored? (A free-text instruction can be passed as the `instruction` argument of ghostline.refactorWithInstruction.)',
      actions: PRESET_INSTRUCTIONS.map((title) => ({ title })),
    });
    return picked?.title;
  } catch {
    return undefined;
  }
}
