/**
 * The usage counters of one developer without a team Redis, kept with the local audit trail (and
 * only while it is on): one JSON-lines file per UTC day in `usage/` beside the audit file
 * (by default `$XDG_STATE_HOME/ghostline/usage/YYYY-MM-DD.jsonl`), each
 * line the sums of one flush of one process (appends of a few hundred bytes, so processes sharing
 * the folder never interleave). Reading sums a day's lines; a past day's file is compacted to one
 * line when read. Counts and sums only — the same fields as the team's Redis hash.
 */
import path from 'node:path';
import { fsPromises } from '../builtins.ts';
import type { LastError, UsageSink } from './recorder.ts';

/** The folder of the local usage files: `usage/` beside the audit file. */
export function localUsageDir(auditFile: string): string {
  return path.join(path.dirname(auditFile), 'usage');
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

interface Line {
  counts?: Record<string, number>;
  users?: Record<string, number>;
  lastError?: LastError;
}

export class LocalUsageSink implements UsageSink {
  readonly keepsCacheStats = false;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async write(
    batch: { day: string; user: string; counts: Record<string, number> }[],
    lastError: LastError | undefined,
  ): Promise<void> {
    const { appendFile, mkdir } = fsPromises();
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const [index, { day, user, counts }] of batch.entries()) {
      const line: Line = { counts, users: { [user]: counts.spend_tokens ?? 0 } };
      if (index === batch.length - 1 && lastError) line.lastError = lastError;
      await appendFile(path.join(this.dir, `${day}.jsonl`), `${JSON.stringify(line)}\n`, { mode: 0o600 });
    }
    if (batch.length === 0 && lastError) {
      const day = new Date(lastError.at).toISOString().slice(0, 10);
      await appendFile(path.join(this.dir, `${day}.jsonl`), `${JSON.stringify({ lastError })}\n`, { mode: 0o600 });
    }
  }
}

/** One day's sums as the dashboard reads them: counts, users seen, and the latest error. */
export interface DayCounts {
  counts: Record<string, number>;
  users: Set<string>;
  lastError?: LastError;
}

function sumLines(text: string): DayCounts {
  const out: DayCounts = { counts: {}, users: new Set() };
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue; // A torn last line (a crash mid-write) is skipped, not fatal.
    }
    for (const [field, value] of Object.entries(line.counts ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value)) out.counts[field] = (out.counts[field] ?? 0) + value;
    }
    for (const user of Object.keys(line.users ?? {})) out.users.add(user);
    if (line.lastError && (!out.lastError || line.lastError.at > out.lastError.at)) out.lastError = line.lastError;
  }
  return out;
}

/** Reads the given days (missing days are empty); compacts files of days before `today`. */
export async function readLocalUsage(dir: string, days: string[], today: string): Promise<Map<string, DayCounts>> {
  const { readFile, rename, unlink, writeFile } = fsPromises();
  const result = new Map<string, DayCounts>();
  await Promise.all(
    days.map(async (day) => {
      const file = path.join(dir, `${day}.jsonl`);
      const text = await readFile(file, 'utf8').catch(() => '');
      const sums = sumLines(text);
      result.set(day, sums);
      if (day < today && text.split('\n').filter((l) => l.trim() !== '').length > 1) {
        // A past day no longer grows: one line holds it from now on (write aside, then rename).
        const line: Line = {
          counts: sums.counts,
          users: Object.fromEntries([...sums.users].map((u) => [u, 1])),
          ...(sums.lastError ? { lastError: sums.lastError } : {}),
        };
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(line)}\n`, { mode: 0o600 })
          .then(() => rename(temporary, file))
          .catch(() => unlink(temporary).catch(() => undefined));
      }
    }),
  );
  return result;
}

/** Deletes day files older than `keepDays` before `today`. */
export async function pruneLocalUsage(dir: string, today: string, keepDays: number): Promise<void> {
  const { readdir, unlink } = fsPromises();
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - keepDays * 86_400_000).toISOString().slice(0, 10);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const day = DAY_FILE.exec(name)?.[1];
    if (day !== undefined && day < cutoff) await unlink(path.join(dir, name)).catch(() => undefined);
  }
}
