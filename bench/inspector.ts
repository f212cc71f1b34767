/**
 * Reads the server's V8 heap through the Chrome DevTools Protocol (the server runs with
 * `--inspect=127.0.0.1:0` in the soak): forces a full collection and returns the live heap, a far
 * better leak signal than RSS, which grows and shrinks with the garbage collector's moods.
 */

/**
 * The DevTools WebSocket URL Node prints on stderr when started with --inspect: the last one, since
 * the launcher (bin/ghostline.js) re-executes itself with its V8 flags and the first process's
 * inspector goes with it.
 */
export function inspectorUrl(stderr: string): string | undefined {
  return [...stderr.matchAll(/Debugger listening on (ws:\/\/\S+)/g)].at(-1)?.[1];
}

export class HeapProbe {
  private readonly socket: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: any) => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) {
        this.waiting.get(message.id)?.(message.result);
        this.waiting.delete(message.id);
      }
    });
  }

  static connect(url: string): Promise<HeapProbe> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new HeapProbe(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true });
    });
  }

  private send(method: string, params: object = {}): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`inspector: ${method} timed out`));
      }, 10_000);
      this.waiting.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Live heap bytes after a full garbage collection. */
  async heapAfterGc(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    const usage = (await this.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  }

  close(): void {
    this.socket.close();
  }
}
