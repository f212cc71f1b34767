/**
 * Brings edits computed against the text the model saw up to the text the editor has now, right
 * before they are sent: unchanged documents pass as they are, moved-on ones are rebased when the
 * user's changes do not touch the edited spans, and anything else declines with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextChange } from './diff.ts';
import { rebase } from './rebase.ts';
import type { FileEdit, OpenDocument } from './types.ts';

/** Edits ready to send: `text` is what the changes' offsets refer to, `version` the editor's version of it. */
export interface SettledFile {
  uri: string;
  version: number | null;
  text: string;
  changes: TextChange[];
  create: boolean;
}

export type Settled = { kind: 'ok'; files: SettledFile[] } | { kind: 'conflict'; message: string };

function diskText(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const path = fileURLToPath(uri);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function settleOne(file: FileEdit, documents: { get(uri: string): OpenDocument | undefined }): SettledFile | string {
  const open = documents.get(file.uri);
  if (file.create) {
    if (open || diskText(file.uri) !== undefined)
      return `${file.uri} was created while the model worked; run the action again`;
    return { uri: file.uri, version: null, text: '', changes: file.changes, create: true };
  }
  if (!open && file.version !== null) return 'the document was closed while the model worked';
  const current = open ? open.text : diskText(file.uri);
  if (current === undefined) return `${file.uri} was deleted while the model worked`;
  const version = open ? open.version : null;
  if (current === file.baseText) return { uri: file.uri, version, text: current, changes: file.changes, create: false };
  const moved = rebase(file.changes, file.baseText, current);
  if (moved.kind === 'conflict')
    return 'you edited the same lines while the model worked, so the result was not applied (your edit is kept); run the action again';
  return { uri: file.uri, version, text: current, changes: moved.changes, create: false };
}

export function settle(files: readonly FileEdit[], documents: { get(uri: string): OpenDocument | undefined }): Settled {
  const settled: SettledFile[] = [];
  for (const file of files) {
    const result = settleOne(file, documents);
    if (typeof result === 'string') return { kind: 'conflict', message: `ghostline: ${result}.` };
    settled.push(result);
  }
  return { kind: 'ok', files: settled };
}
