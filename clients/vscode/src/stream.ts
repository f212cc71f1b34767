/**
 * The streaming output view: `ghostline/stream` notifications (model output of an action as it
 * arrives) appended live to the "ghostline: actions" output channel, one headed block per run.
 */
import * as vscode from 'vscode';
import type { StreamParams } from './protocol.ts';

export class StreamView implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private current: string | undefined;

  constructor() {
    this.channel = vscode.window.createOutputChannel('ghostline: actions', 'markdown');
  }

  /** Handles one notification. */
  handle(params: StreamParams): void {
    if (params.id !== this.current) {
      this.current = params.id;
      this.channel.appendLine(`\n## ${params.action} (${params.id})\n`);
      this.channel.show(true);
    }
    if (params.restart) this.channel.appendLine('\n_(a fallback model starts over)_\n');
    if (params.delta) this.channel.append(params.delta);
    if (params.done) {
      if (params.error) this.channel.appendLine(`\n\n**${params.action} failed:** ${params.error}`);
      else this.channel.appendLine('\n');
      this.current = undefined;
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
