/**
 * What features receive from the protocol edge, in plain terms: the services, a view of the open
 * documents, what the client can do, and the client port through which a feature shows a message
 * or a document, asks a question, reports progress, streams text, or applies an edit. No LSP types:
 * lsp/ implements these interfaces and maps the values features return to LSP.
 */
import type { Services } from '../compose.ts';
import type { ActionName } from '../actions/types.ts';
import type { SettledFile } from '../actions/settle.ts';
import type { DocumentView } from '../actions/types.ts';

export type { ActionArgs, ActionName, DocumentView, OpenDocument, Position, Range } from '../actions/types.ts';
export type { SettledFile } from '../actions/settle.ts';
export { ACTION_NAMES, isActionName } from '../actions/names.ts';
export type { AcceptArgs } from './suggestion-shape.ts';

export type Severity = 'error' | 'warning' | 'info';

/** What the client declared it can do, as plain flags (lsp/ reads the capabilities once). */
export interface ClientAbilities {
  /** Code actions as literals (else only commands). */
  codeActionLiterals: boolean;
  /** codeAction/resolve with `data` and a lazily filled `edit`. */
  resolve: boolean;
  /** The LLMGenerated code-action tag. */
  llmTag: boolean;
  /** ghostline/stream notifications (the setting, or the experimental capability). */
  streaming: boolean;
  workDoneProgress: boolean;
  showDocument: boolean;
  applyEdit: boolean;
}

/** A run's progress as the client shows it; `cancelled` aborts when the user cancels from it. */
export interface Progress {
  report(message: string): void;
  done(message: string): void;
  readonly cancelled: AbortSignal;
}

/** One `ghostline/stream` notification (docs/protocol.md). */
export interface StreamEvent {
  id: string;
  action: ActionName;
  delta: string;
  done: boolean;
  final?: string;
  error?: string;
  restart?: boolean;
}

/** An edit for the client to apply, versioned against the documents it was settled on. */
export interface VersionedEdit {
  label: string;
  action: ActionName;
  model: string;
  files: SettledFile[];
}

/** The client as features see it. lsp/client-port.ts implements it over the connection. */
export interface ClientPort {
  readonly abilities: ClientAbilities;
  showMessage(severity: Severity, message: string): void;
  /** Presents a Markdown document (an explanation, a variant listing); false when the client cannot. */
  showDocument(name: string, markdown: string): Promise<boolean>;
  /** Asks with buttons: the chosen index, null when dismissed, undefined when the client cannot ask. */
  ask(message: string, choices: readonly string[]): Promise<number | null | undefined>;
  /** Starts progress on the client's token (a request's workDoneToken) or one the server creates. */
  progress(title: string, token: string | number | undefined): Promise<Progress | undefined>;
  stream(event: StreamEvent): void;
  applyEdit(edit: VersionedEdit): Promise<{ applied: boolean; failureReason?: string }>;
}

/** Everything a feature reads: the services in force, the documents, and the client. */
export interface FeatureContext {
  services: () => Services;
  documents: DocumentView;
  client: ClientPort;
  /** Turns a document URI into the path named in prompts (file system path for file: URIs). */
  pathOf: (uri: string) => string;
}
