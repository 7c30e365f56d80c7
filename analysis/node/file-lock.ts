/**
 * A lock on a file shared by runs (the --history file): `.<name>.lock` next to it, created
 * with O_EXCL so that only one process can hold it, holding {pid, host, since} as JSON.
 *
 * Decisions:
 * - A run waits for the lock (polling) up to a limit, then gives up with a message naming the
 *   holder and the lock file; it never writes without it.
 * - Stale locks are broken: the holder is a process of this machine that no longer runs, or
 *   the lock file has stayed empty or unreadable (a crash between creating and writing it)
 *   for STALE_EMPTY_MS. A lock of another machine (a shared folder) is never broken here:
 *   the message says which file to delete once that run is known to be over.
 * - Breaking is a rename to a name of our own first, so that of two runs that found the same
 *   stale lock only one removes it; the other finds the name gone and simply tries again.
 */
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { processAlive } from "./safe-write.js";

const POLL_MS = 100;
const STALE_EMPTY_MS = 10_000;

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** The lock is held by a live run and did not come free in time. */
export class LockHeldError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    super(`lock held: ${lockPath}`);
    this.name = "LockHeldError";
  }
}

export const lockPathOf = (file: string) => join(dirname(file), `.${basename(file)}.lock`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const j = JSON.parse(await readFile(path, "utf8")) as Partial<LockHolder>;
    if (typeof j.pid === "number" && typeof j.host === "string" && typeof j.since === "string")
      return { pid: j.pid, host: j.host, since: j.since };
  } catch {
    // empty, half-written or not ours: judged by its age below
  }
  return null;
}

async function isStale(path: string, holder: LockHolder | null): Promise<boolean> {
  if (holder) return holder.host === hostname() && !processAlive(holder.pid);
  const st = await stat(path).catch(() => null);
  return !!st && Date.now() - st.mtimeMs > STALE_EMPTY_MS;
}

/** Try once; true when the lock is now ours. */
async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, "wx");
    try {
      const me: LockHolder = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
      };
      await fh.writeFile(JSON.stringify(me));
      await fh.sync();
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/**
 * Take the lock of `file`, waiting up to `waitMs`; `onWait` is told once who holds it.
 * Resolves to the release function.
 */
export async function lockFile(
  file: string,
  opts: { waitMs: number; onWait?: (holder: LockHolder | null) => void },
): Promise<() => Promise<void>> {
  const path = lockPathOf(file);
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    if (await tryCreate(path)) {
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    }
    const holder = await readHolder(path);
    if (await isStale(path, holder)) {
      const aside = `${path}.stale-${process.pid}`;
      const moved = await rename(path, aside).then(
        () => true,
        () => false,
      );
      if (moved) {
        const again = await readHolder(aside);
        // another run took the lock between our look and the rename: give it back
        // (link, not rename: it never replaces a lock taken meanwhile by a third)
        if (again && !(await isStale(aside, again))) await link(aside, path).catch(() => {});
        await unlink(aside).catch(() => undefined);
      }
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(path, holder);
    if (!told) {
      opts.onWait?.(holder);
      told = true;
    }
    await sleep(POLL_MS);
  }
}
