/**
 * No output may replace an input: before anything is written, every file a run will write is
 * compared with every file it reads.
 *
 * Decisions:
 * - Compared by real path (symbolic links and `..` resolved; for a file not yet there, the
 *   real path of its nearest existing folder plus the rest), and for files that exist also by
 *   device and inode, which catches hard links and case-insensitive file systems.
 * - The --history file is read and written: it is compared with the other inputs and outputs,
 *   never with itself.
 */
import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** An output would replace an input. */
export class PathClashError extends Error {
  constructor(
    readonly output: string,
    readonly input: string,
  ) {
    super(`${output} would replace the input ${input}`);
    this.name = "PathClashError";
  }
}

interface Identity {
  real: string;
  inode: string | null;
}

async function identity(path: string): Promise<Identity> {
  const abs = resolve(path);
  const st = await stat(abs).catch(() => null);
  if (st) {
    const real = await realpath(abs).catch(() => abs);
    return { real, inode: `${st.dev}:${st.ino}` };
  }
  // not there yet: resolve the nearest folder that is
  let dir = dirname(abs);
  const rest = [basename(abs)];
  for (;;) {
    const real = await realpath(dir).catch(() => null);
    if (real !== null) return { real: join(real, ...rest), inode: null };
    const up = dirname(dir);
    if (up === dir) return { real: abs, inode: null };
    rest.unshift(basename(dir));
    dir = up;
  }
}

/** The real path of a file or folder, there or not yet (its nearest existing folder's, plus the rest). */
export const realPathOf = async (path: string): Promise<string> => (await identity(path)).real;

const same = (a: Identity, b: Identity) =>
  a.real === b.real || (a.inode !== null && a.inode === b.inode);

/**
 * Throw PathClashError for the first output that is one of the inputs. `both` is a file that
 * is read and written (the history): checked against inputs and outputs but not itself.
 */
export async function refuseClashes(
  inputs: readonly string[],
  outputs: readonly string[],
  both?: string,
): Promise<void> {
  const ins = await Promise.all(inputs.map(async (p) => ({ p, id: await identity(p) })));
  const outs = await Promise.all(outputs.map(async (p) => ({ p, id: await identity(p) })));
  const shared = both === undefined ? null : { p: both, id: await identity(both) };
  for (const o of outs) {
    for (const i of ins) if (same(o.id, i.id)) throw new PathClashError(o.p, i.p);
    if (shared && same(o.id, shared.id)) throw new PathClashError(o.p, shared.p);
  }
  if (shared)
    for (const i of ins) if (same(shared.id, i.id)) throw new PathClashError(shared.p, i.p);
}
