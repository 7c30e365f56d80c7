/**
 * The one error the reading layer throws: the input cannot be analysed at all (SPEC §3). The
 * library (customer-lifecycle-excel) throws it too, with its message in the caller's language.
 */
import type { Issue, Lang, Message } from "./types.js";
import { t } from "./messages/index.js";

export class UnusableInputError extends Error {
  /** What is missing and which headers were found, for t(lang, msg). */
  readonly msg: Message;
  /** Row issues collected before giving up (e.g. every row skipped), for 数据问题 Data issues. */
  readonly issues: Issue[];

  /** `lang`: the language of `message` (English unless told). */
  constructor(msg: Message, issues: Issue[] = [], lang: Lang = "en") {
    super(t(lang, msg));
    this.name = "UnusableInputError";
    this.msg = msg;
    this.issues = issues;
  }
}

export const isUnusableInputError = (x: unknown): x is UnusableInputError =>
  x instanceof UnusableInputError;
