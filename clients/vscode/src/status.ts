/**
 * The status bar item: the model of the last suggestion, the cache hit rate and the estimated
 * spend of this server process, from `ghostline.stats`, refreshed every few seconds while a
 * client runs. Clicking it shows the full counters.
 */
import * as vscode from 'vscode';
import type { Stats } from './protocol.ts';

export function describeStats(stats: Stats, model: string | undefined): string {
  const hits = stats.cacheHits + (stats.sharedCacheHits ?? 0) + (stats.typedAheadHits ?? 0);
  const rate = stats.requests > 0 ? Math.round((100 * hits) / stats.requests) : 0;
  return `$(sparkle) ${model ?? 'ghostline'} · cache ${rate}% · $${stats.costUsd.toFixed(4)}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  /** The model named in the last suggestion's accept command. */
  model: string | undefined;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('ghostline.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'ghostline';
    this.item.command = command;
    this.item.text = '$(sparkle) ghostline';
    this.item.tooltip = 'ghostline: starting';
    this.item.show();
  }

  /** Polls `fetch` every `intervalMs` until stopped. */
  start(fetch: () => Promise<Stats | undefined>, intervalMs = 10_000): void {
    this.stop();
    const tick = async () => {
      try {
        const stats = await fetch();
        if (stats) this.update(stats);
      } catch {
        this.item.text = '$(warning) ghostline';
        this.item.tooltip = 'ghostline: the server does not answer';
      }
    };
    void tick();
    this.timer = setInterval(() => void tick(), intervalMs);
  }

  update(stats: Stats): void {
    this.item.text = describeStats(stats, this.model);
    this.item.tooltip = `ghostline: ${stats.requests} requests, ${stats.shown} shown, ${stats.accepted} accepted. Click for details.`;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.item.dispose();
  }
}
