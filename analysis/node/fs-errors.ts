/**
 * File system errors (ENOENT, EEXIST, ENOTDIR, EROFS, ENOSPC …) told to the user as the path
 * and the problem in their language, never as a stack.
 */
import { t } from "../messages/index.js";
import type { Lang, Message } from "../types.js";

/** Codes with their own wording (messages/cli.ts `cli.fs.<code>`); others say the code. */
const KNOWN_CODES = [
  "ENOENT",
  "EACCES",
  "EPERM",
  "EISDIR",
  "ENOTDIR",
  "EEXIST",
  "EROFS",
  "ENOSPC",
  "EDQUOT",
  "EMFILE",
  "EBUSY",
  "ENAMETOOLONG",
  "ELOOP",
  "EIO",
  "EFBIG",
  "ETXTBSY",
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];
const isKnownCode = (c: string): c is KnownCode => (KNOWN_CODES as readonly string[]).includes(c);

/** An error from the file system: it has an errno code (E…) and names the call. */
export const isFileSystemError = (e: unknown): e is NodeJS.ErrnoException => {
  const x = e as NodeJS.ErrnoException | null;
  return (
    !!x &&
    typeof x.code === "string" &&
    /^E[A-Z]+$/.test(x.code) &&
    (typeof x.syscall === "string" || typeof x.path === "string")
  );
};

/** "<path>: <problem>." as a message, the problem in the language (ENFILE is told as EMFILE). */
export function fileErrorMsg(e: NodeJS.ErrnoException, lang: Lang): Message {
  const code = e.code === "ENFILE" ? "EMFILE" : (e.code ?? "");
  const problem = isKnownCode(code)
    ? t(lang, `cli.fs.${code}`)
    : t(lang, { key: "cli.fs.other", params: { code } });
  const path = e.path;
  return path
    ? { key: "cli.error.fs", params: { path: String(path), problem } }
    : { key: "cli.error.fsNoPath", params: { problem } };
}

/** "<path>: <problem>." in the language. */
export const fileErrorMessage = (e: NodeJS.ErrnoException, lang: Lang): string =>
  t(lang, fileErrorMsg(e, lang));
