/**
 * Every file the CLI writes goes through here: written whole to a temporary name in the same
 * folder, flushed to disk, then renamed over the target. A run killed at any moment leaves the
 * target as it was (the old file, or none) or as the new file, whole; never cut short.
 *
 * Decisions:
 * - The temporary name is `.<name>.tmp-<pid>-<random>` next to the target: rename() is atomic
 *   only within one file system, and a dot name keeps it out of ordinary folder listings.
 * - fsync of the file before the rename, and of the folder after it (best effort: some file
 *   systems refuse to open a folder for it), so a power cut after the rename does not bring
 *   back an empty file.
 * - An existing target keeps its permission bits.
 * - On any failure the temporary file is removed and the target left alone. A temporary file
 *   of a process killed outright (SIGKILL) cannot be removed by it: the next write to the same
 *   target removes those whose process is gone.
 * - CRM_TEST_WRITE_PAUSE_AT=<n> (tests only): before each step of a write (opening, each
 *   chunk, flushing, renaming, after renaming), print `crm-write-step <k> <file>` on stderr,
 *   and at step n stop for a minute, so that a test can kill the process at a known step.
 */
import {
  chmod,
  copyFile,
  open,
  readdir,
  rename,
  stat,
  unlink,
  type FileHandle,
} from "node:fs/promises";
import { constants } from "node:fs";
import { writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** Bytes per write call: bounds a step's work for the kill test and the memory of a copy. */
export const WRITE_CHUNK = 1 << 20;

/** Receives the new file's content in pieces, in order. */
export type Sink = (chunk: string | Uint8Array) => Promise<void>;

let step = 0;
/** The test hook's step to stop at (0: only count), or null when the hook is off. */
const pauseAt = ((v) => (v && /^\d+$/.test(v) ? Number(v) : null))(
  process.env.CRM_TEST_WRITE_PAUSE_AT,
);

/** The test hook: announce the step; at the chosen one, hold still to be killed. */
function checkpoint(path: string): void {
  if (pauseAt === null) return;
  writeSync(2, `crm-write-step ${++step} ${basename(path)}\n`);
  if (step === pauseAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

export const tempPrefix = (target: string) => `.${basename(target)}.tmp-`;

function tempName(target: string): string {
  return join(
    dirname(target),
    `${tempPrefix(target)}${process.pid}-${randomBytes(4).toString("hex")}`,
  );
}

/** True when process `pid` is alive on this machine (EPERM: alive, not ours). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Remove temporary files of `target` left by processes that no longer run. */
async function removeStaleTemps(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (pid !== process.pid && !processAlive(pid)) {
      await unlink(join(dirname(target), name)).catch(() => undefined);
    }
  }
}

async function syncFolder(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // not supported everywhere (e.g. some network and Windows file systems): best effort
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Write `target` atomically: `fill` sends the content through the sink (after a copy of the
 * file `startFrom`, when given); the file appears under its name only once all of it is on
 * disk. Throws the file system's error (with its
 * path) and leaves the target untouched when anything fails.
 */
export async function writeAtomic(
  target: string,
  fill: (write: Sink) => Promise<void>,
  opts: { startFrom?: string } = {},
): Promise<void> {
  await removeStaleTemps(target);
  const temp = tempName(target);
  try {
    await writeVia(temp, target, fill, opts.startFrom);
  } catch (e) {
    // the user knows the target, not our temporary name
    const err = e as NodeJS.ErrnoException & { dest?: string };
    if (err && (err.path === temp || err.dest === target)) err.path = target;
    throw e;
  }
}

async function writeVia(
  temp: string,
  target: string,
  fill: (write: Sink) => Promise<void>,
  startFrom: string | undefined,
): Promise<void> {
  checkpoint(target);
  let fh: FileHandle;
  if (startFrom !== undefined) {
    // the kernel copies (or clones) the file; the content then goes after it
    await copyFile(startFrom, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    fh = await open(temp, "a");
  } else fh = await open(temp, "wx", 0o666);
  let done = false;
  try {
    const sink: Sink = async (chunk) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      for (let at = 0; at < bytes.length; at += WRITE_CHUNK) {
        checkpoint(target);
        const part = bytes.subarray(at, Math.min(bytes.length, at + WRITE_CHUNK));
        let off = 0;
        while (off < part.length) {
          const { bytesWritten } = await fh.write(part, off, part.length - off);
          off += bytesWritten;
        }
      }
    };
    await fill(sink);
    checkpoint(target);
    await fh.sync();
    await fh.close();
    const old = await stat(target).catch(() => null);
    if (old) await chmod(temp, old.mode & 0o7777).catch(() => undefined);
    checkpoint(target);
    await rename(temp, target);
    done = true;
    checkpoint(target);
    await syncFolder(dirname(target));
  } finally {
    if (!done) {
      await fh.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

/** writeAtomic for content already in memory. */
export function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  return writeAtomic(target, (write) => write(data));
}
