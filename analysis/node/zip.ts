/**
 * The little of the ZIP format (PKWARE APPNOTE 6.3) that an .xlsx needs, with node:zlib:
 * reading the central directory of a package, and writing a package whose parts are deflated
 * from streams of text as they are produced — so a sheet of a million rows never exists as one
 * string or one buffer (V8 strings stop at about 512 MB).
 *
 * Decisions:
 * - Written parts carry a data descriptor (flag bit 3): CRC and sizes follow the data, so a
 *   part is compressed in one pass. Excel, exceljs and unzip all read this form.
 * - No ZIP64 on writing: a part or a package past 4 GB is refused with a RangeError (owned
 *   sheets are cut at Excel's 1,048,576 rows, far below it). Reading understands ZIP64 sizes.
 * - Names are UTF-8 (flag bit 11).
 */
import { crc32, createDeflateRaw, createInflateRaw, inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header. */
  offset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_DESCRIPTOR = 0x08074b50;
const MAX32 = 0xffffffff;

export class ZipFormatError extends Error {
  constructor(what: string) {
    super(`not a ZIP package: ${what}`);
    this.name = "ZipFormatError";
  }
}

/** The entries listed in a package's central directory. Throws ZipFormatError. */
export function zipEntries(buf: Buffer): ZipEntry[] {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let end = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError("no end of central directory");
  let count = buf.readUInt16LE(end + 10);
  let dirOffset = buf.readUInt32LE(end + 16);
  if ((count === 0xffff || dirOffset === MAX32) && end >= 20) {
    const loc = end - 20;
    if (buf.readUInt32LE(loc) === SIG_LOCATOR64) {
      const e64 = Number(buf.readBigUInt64LE(loc + 8));
      if (e64 + 56 > buf.length || buf.readUInt32LE(e64) !== SIG_END64)
        throw new ZipFormatError("bad ZIP64 end record");
      count = Number(buf.readBigUInt64LE(e64 + 32));
      dirOffset = Number(buf.readBigUInt64LE(e64 + 48));
    }
  }
  const out: ZipEntry[] = [];
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL)
      throw new ZipFormatError("bad central directory");
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let offset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    // ZIP64 extended information: the fields that are 0xFFFFFFFF above, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = () => {
          const v = q + 8 <= x + 4 + len ? Number(buf.readBigUInt64LE(q)) : NaN;
          q += 8;
          return v;
        };
        if (size === MAX32) size = next();
        if (compressedSize === MAX32) compressedSize = next();
        if (offset === MAX32) offset = next();
      }
      x += 4 + len;
    }
    out.push({ name, method, crc, compressedSize, size, offset });
    p = xEnd + commentLen;
  }
  return out;
}

/** The stored (compressed) bytes of an entry. */
export function rawData(buf: Buffer, e: ZipEntry): Buffer {
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== SIG_LOCAL)
    throw new ZipFormatError(`bad local header of ${e.name}`);
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  if (start + e.compressedSize > buf.length) throw new ZipFormatError(`${e.name} is cut short`);
  return buf.subarray(start, start + e.compressedSize);
}

/** An entry's bytes, at most `limit` of them (RangeError past it). */
export function entryData(buf: Buffer, e: ZipEntry, limit = 256 * 2 ** 20): Buffer {
  const raw = rawData(buf, e);
  if (e.method === 0) return raw;
  if (e.method !== 8) throw new ZipFormatError(`${e.name}: compression method ${e.method}`);
  return inflateRawSync(raw, { maxOutputLength: limit });
}

/**
 * The real size of an entry once inflated, counted while inflating and given up as soon as it
 * passes `stopAt` (then the result is > stopAt): nothing is kept, so a bomb fills no memory.
 */
export async function inflatedSize(buf: Buffer, e: ZipEntry, stopAt: number): Promise<number> {
  const raw = rawData(buf, e);
  if (e.method === 0) return raw.length;
  if (e.method !== 8) throw new ZipFormatError(`${e.name}: compression method ${e.method}`);
  return new Promise<number>((resolve, reject) => {
    const inflate = createInflateRaw();
    let n = 0;
    let done = false;
    const finish = (v: number) => {
      if (done) return;
      done = true;
      resolve(v);
    };
    inflate.on("data", (chunk: Buffer) => {
      n += chunk.length;
      if (n > stopAt) {
        inflate.destroy();
        finish(n);
      }
    });
    inflate.on("end", () => finish(n));
    inflate.on("error", (err) => {
      if (!done) {
        done = true;
        reject(new ZipFormatError(`${e.name}: ${err.message}`));
      }
    });
    // in slices, so that the check runs between them
    const step = 1 << 20;
    let i = 0;
    const pump = () => {
      while (!done && i < raw.length) {
        const ok = inflate.write(raw.subarray(i, i + step));
        i += step;
        if (!ok) return void inflate.once("drain", pump);
      }
      if (!done) inflate.end();
    };
    pump();
  });
}

// ---------------------------------------------------------------------------------------------
// Writing.

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  descriptor: boolean;
}

/** Bytes handed to a sink at a time (about; a part's data comes in zlib's 16 kB pieces). */
const SINK_CHUNK = 1 << 20;

/**
 * A package built part by part: in memory (`finish` gives its bytes), or, with a sink, handed
 * on in pieces of about 1 MB as it is made (`end` writes the directory), so a large package is
 * never held whole.
 */
export class ZipWriter {
  private chunks: Buffer[] = [];
  private queued = 0;
  private length = 0;
  private entries: Written[] = [];
  private names = new Set<string>();

  constructor(private readonly sink?: (chunk: Buffer) => Promise<void>) {}

  has(name: string): boolean {
    return this.names.has(name);
  }

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.queued += b.length;
    this.length += b.length;
  }

  /** With a sink: hand on what has gathered (all of it with `all`, else whole megabytes). */
  private async drain(all = false): Promise<void> {
    if (!this.sink || (!all && this.queued < SINK_CHUNK) || this.queued === 0) return;
    const out = Buffer.concat(this.chunks, this.queued);
    this.chunks = [];
    this.queued = 0;
    await this.sink(out);
  }

  private local(name: Buffer, method: number, flags: number, crc = 0, cs = 0, size = 0): void {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(0, 10); // time
    h.writeUInt16LE(0x21, 12); // date: 1980-01-01, so the same input gives the same bytes
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(cs, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    this.push(h);
    this.push(name);
  }

  private claim(name: string): Buffer {
    if (this.names.has(name)) throw new Error(`duplicate part ${name}`);
    this.names.add(name);
    return Buffer.from(name, "utf8");
  }

  private check(n: number): void {
    if (n >= MAX32 || this.length >= MAX32)
      throw new RangeError("the workbook would pass 4 GB, more than a package without ZIP64");
  }

  /** Copy an entry of another package as it is stored (no inflate, no deflate). */
  copy(from: Buffer, e: ZipEntry): void {
    // (with a sink, handed on by the next add or by end)
    const name = this.claim(e.name);
    const raw = rawData(from, e);
    const offset = this.length;
    this.local(name, e.method, 0x0800, e.crc, e.compressedSize, e.size);
    this.push(raw);
    this.check(e.size);
    this.entries.push({ ...e, name, offset, descriptor: false });
  }

  /** A part given whole. */
  async add(name: string, data: Buffer | string): Promise<void> {
    await this.addStream(name, [data]);
  }

  /** A part deflated from a stream of chunks as they come. */
  async addStream(
    name: string,
    chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
  ): Promise<void> {
    const nameBuf = this.claim(name);
    const offset = this.length;
    this.local(nameBuf, 8, 0x0808);
    const deflate = createDeflateRaw({ level: 6 });
    let crc = 0;
    let size = 0;
    let cs = 0;
    deflate.on("data", (c: Buffer) => {
      cs += c.length;
      this.push(c);
    });
    const ended = new Promise<void>((resolve, reject) => {
      deflate.on("end", resolve);
      deflate.on("error", reject);
    });
    let pending: string[] = [];
    let pendingLen = 0;
    const flush = async () => {
      if (!pendingLen) return;
      const b = Buffer.from(pending.join(""), "utf8");
      pending = [];
      pendingLen = 0;
      await write(b);
    };
    const write = async (b: Buffer) => {
      crc = crc32(b, crc);
      size += b.length;
      if (!deflate.write(b)) await new Promise<void>((r) => deflate.once("drain", r));
      await this.drain();
    };
    for await (const c of chunks) {
      if (typeof c === "string") {
        pending.push(c);
        pendingLen += c.length;
        if (pendingLen >= 1 << 18) await flush();
      } else {
        await flush();
        await write(c);
      }
    }
    await flush();
    deflate.end();
    await ended;
    this.check(size);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(SIG_DESCRIPTOR, 0);
    d.writeUInt32LE(crc, 4);
    d.writeUInt32LE(cs, 8);
    d.writeUInt32LE(size, 12);
    this.push(d);
    this.entries.push({
      name: nameBuf,
      method: 8,
      crc,
      compressedSize: cs,
      size,
      offset,
      descriptor: true,
    });
    await this.drain();
  }

  /** In memory: the central directory, and the package's bytes. */
  finish(): Buffer {
    if (this.sink) throw new Error("a ZipWriter with a sink ends with end()");
    this.directory();
    const out = Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    return out;
  }

  /** With a sink: the central directory, and everything not yet handed on. */
  async end(): Promise<void> {
    this.directory();
    await this.drain(true);
  }

  private directory(): void {
    const dirOffset = this.length;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(SIG_CENTRAL, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(e.descriptor ? 0x0808 : 0x0800, 8);
      h.writeUInt16LE(e.method, 10);
      h.writeUInt16LE(0, 12);
      h.writeUInt16LE(0x21, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressedSize, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      this.push(h);
      this.push(e.name);
    }
    const dirSize = this.length - dirOffset;
    this.check(0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_END, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(dirSize, 12);
    end.writeUInt32LE(dirOffset, 16);
    this.push(end);
  }
}
