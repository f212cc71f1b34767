/**
 * File housekeeping for the audit log: renaming a full log to `file.YYYYMMDD-HHMMSS` and deleting
 * rotated logs older than the retention period (judged by the time in their names, UTC).
 */
import path from 'node:path';
import { fsPromises } from '../builtins.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

export function rotationSuffix(time: Date): string {
  return `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}-${pad(time.getUTCHours())}${pad(time.getUTCMinutes())}${pad(time.getUTCSeconds())}`;
}

/** Renames `file`; a second rotation in the same second gets `-1`, `-2`, ... appended. */
export async function rotateFile(file: string, time: Date): Promise<string> {
  const { rename, stat } = fsPromises();
  const base = `${file}.${rotationSuffix(time)}`;
  let target = base;
  for (
    let n = 1;
    await stat(target).then(
      () => true,
      () => false,
    );
    n++
  )
    target = `${base}-${n}`;
  await rename(file, target);
  return target;
}

const ROTATED = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?$/;

/** Deletes `file.YYYYMMDD-HHMMSS[-n]` siblings older than `retentionDays`; other files are untouched. */
export async function pruneRotated(file: string, now: Date, retentionDays: number): Promise<string[]> {
  const { readdir, unlink } = fsPromises();
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const deleted: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const parts = ROTATED.exec(name.slice(prefix.length));
    if (parts === null) continue;
    const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
    const rotatedAt = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
    if (rotatedAt < cutoff) {
      await unlink(path.join(dir, name)).catch(() => undefined);
      deleted.push(name);
    }
  }
  return deleted;
}
