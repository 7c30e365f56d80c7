/**
 * Text from the user's files made safe to echo in a message (a terminal, a task pane, a
 * report): terminal escape sequences (ESC [ … final byte, ESC ] … BEL or ESC \, and any other
 * ESC + one character) are removed, and so are the other control characters, C0 but tab and
 * line feed, DEL, C1 (U+0080–U+009F) and the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that can make a text read differently from what it is. A
 * header "\x1b[2J" would otherwise clear the user's screen, and a UTF-16 file read as UTF-8
 * prints NUL bytes.
 */

/** Anything printable() removes: a quick test before the replace. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const UNSAFE_ALL = new RegExp(
  [
    "\\x1b\\[[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?", // CSI: ESC [ params intermediates final
    "\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)?", // OSC: ESC ] … BEL or ESC \
    "\\x1b[\\x20-\\x7e]?", // any other escape: ESC and one character
    "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]",
  ].join("|"),
  "g",
);

/** `text` without escape sequences and control characters (tab and line feed kept). */
export function printable(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, "") : text;
}
