/**
 * The reference for ghostline's start-up and memory targets: the plainest useful AI language
 * server — vscode-languageserver, the document store and the openai SDK, loaded the ordinary way
 * from node_modules — answering completion with one Chat Completions call. bench/startup.ts starts
 * it beside ghostline in the same run.
 */
import OpenAI from 'openai';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const openai = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY ?? 'none',
  baseURL: process.env.OPENAI_BASE_URL,
  maxRetries: 0,
});

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, completionProvider: {} },
  serverInfo: { name: 'reference' },
}));

connection.onCompletion(async (params, token) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const prefix = document.getText({
    start: { line: Math.max(0, params.position.line - 100), character: 0 },
    end: params.position,
  });
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  try {
    const answer = await openai.chat.completions.create(
      { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: prefix }], max_tokens: 64 },
      { signal: controller.signal },
    );
    const text = answer.choices[0]?.message.content ?? '';
    return text ? [{ label: text.split('\n')[0]!, insertText: text }] : [];
  } catch {
    return [];
  }
});

documents.listen(connection);
connection.listen();
