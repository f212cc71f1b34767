/**
 * The plain pipeline the answer-quality bench compares ghostline with (issue #15's baseline): one
 * model call per completion or inline request, at once (no debounce, no cache, no typed-ahead
 * reuse), the current line only, and no post-processing but stripping a fence around the whole
 * answer. It cancels the HTTP call when the editor cancels. It speaks ghostline's prompt format
 * (server/src/context/prompt.ts) and routes as SSOT.md does (completion gpt-4.1-mini, inline
 * gpt-4o-mini), so the fake model's oracle answers both the same way with the same latency.
 * `node bench/plain-server.ts` over stdio; OPENAI_BASE_URL points it at the fake model.
 */
import OpenAI from 'openai';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completionPrompt } from '../server/src/context/prompt.ts';
import { defaultConfig } from '../server/src/config/schema.ts';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const openai = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY ?? 'none',
  baseURL: process.env.OPENAI_BASE_URL,
  maxRetries: 0,
});
/** Lines of the file around the cursor sent to the model. */
const PREFIX_LINES = 100;
const SUFFIX_LINES = 30;
let calls = 0;

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    // The same trigger characters as ghostline, so both get the same requests from the same typing.
    completionProvider: { triggerCharacters: defaultConfig().completion.triggerCharacters },
    inlineCompletionProvider: {},
  },
  serverInfo: { name: 'plain pipeline' },
}));

/** A fence around the whole answer, with or without a language tag, is removed; nothing else. */
export function stripSurroundingFence(answer: string): string {
  const fenced = /^\s*```[\w+#.-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/.exec(answer);
  return fenced ? fenced[1]! : answer;
}

async function suggest(uri: string, position: Position, model: string, token: CancellationToken): Promise<string> {
  const document = documents.get(uri);
  if (!document) return '';
  const prefix = document.getText({
    start: { line: Math.max(0, position.line - PREFIX_LINES), character: 0 },
    end: position,
  });
  const suffix = document.getText({ start: position, end: { line: position.line + SUFFIX_LINES, character: 0 } });
  const path = decodeURIComponent(new URL(uri).pathname);
  const prompt = completionPrompt({ path, languageId: document.languageId, prefix, suffix, multiline: false });
  const controller = new AbortController();
  const cancelled = token.onCancellationRequested(() => controller.abort());
  calls++;
  try {
    const answer = await openai.chat.completions.create(
      {
        model,
        messages: [
          { role: 'system', content: prompt.instructions },
          { role: 'user', content: prompt.input },
        ],
        max_tokens: 64,
      },
      { signal: controller.signal },
    );
    return stripSurroundingFence(answer.choices[0]?.message.content ?? '').replace(/\s+$/, '');
  } catch {
    return '';
  } finally {
    cancelled.dispose();
  }
}

connection.onCompletion(async (params, token) => {
  const text = await suggest(params.textDocument.uri, params.position, 'gpt-4.1-mini', token);
  if (!text) return { isIncomplete: true, items: [] };
  const range = { start: params.position, end: params.position };
  return { isIncomplete: true, items: [{ label: text.split('\n')[0]!, textEdit: { range, newText: text } }] };
});

connection.languages.inlineCompletion.on(async (params, token) => {
  const text = await suggest(params.textDocument.uri, params.position, 'gpt-4o-mini', token);
  return { items: text ? [{ insertText: text, range: { start: params.position, end: params.position } }] : [] };
});

// The bench asks every server for its counters at the end of a replay.
connection.onExecuteCommand(() => ({ modelCalls: calls }));

documents.listen(connection);
connection.listen();
