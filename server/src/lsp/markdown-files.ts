/**
 * Where explanations and variant listings go for clients that can open a document but do not
 * stream: Markdown files in a directory private to this user (mode 0700, files 0600), named per
 * process and run so two editors never overwrite each other, and deleted when the server shuts
 * down (files an ended process left behind are removed after a day). Nothing else of the user's
 * source reaches the disk.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const STALE_MS = 24 * 60 * 60 * 1000;

/** The per-user directory: XDG_RUNTIME_DIR (already private) when set, else the temp directory. */
export function privateDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const base = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR !== '' ? env.XDG_RUNTIME_DIR : tmpdir();
  return join(base, uid === undefined ? 'ghostline' : `ghostline-${uid}`);
}

export class MarkdownFiles {
  private readonly dir: string;
  private readonly written = new Set<string>();
  private prepared = false;

  constructor(dir: string = privateDir()) {
    this.dir = dir;
  }

  /** Writes one document and returns its file URI; throws when the directory is not safely ours. */
  write(name: string, markdown: string): string {
    this.prepare();
    const path = join(this.dir, `${process.pid}-${name.replace(/[^\w.-]/g, '_')}.md`);
    writeFileSync(path, markdown, { mode: 0o600 });
    this.written.add(path);
    return pathToFileURL(path).href;
  }

  /** Deletes the files this process wrote (at shutdown). */
  clear(): void {
    for (const path of this.written) rmSync(path, { force: true });
    this.written.clear();
  }

  private prepare(): void {
    if (this.prepared) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(this.dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid))
      throw new Error(`${this.dir} is not a directory owned by this user`);
    if ((stat.mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
    this.prepared = true;
    const now = Date.now();
    for (const entry of readdirSync(this.dir)) {
      const path = join(this.dir, entry);
      try {
        if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
      } catch {
        // Another server may have removed it already.
      }
    }
  }
}
