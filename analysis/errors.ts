/** The one error the reading layer throws: the input cannot be analysed at all (SPEC §3). */
import type { Issue, Message } from "./types.js";
import { t } from "./messages/index.js";

export class UnusableInputError extends Error {
  /** What is missing and which headers were found, for t(lang, msg). */
  readonly msg: Message;
  /** Row issues collected before giving up (e.g. every row skipped), for 数据问题 Data issues. */
  readonly issues: Issue[];

  constructor(msg: Message, issues: Issue[] = []) {
    super(t("en", msg));
    this.name = "UnusableInputError";
    this.msg = msg;
    this.issues = issues;
  }
}

export const isUnusableInputError = (x: unknown): x is UnusableInputError =>
  x instanceof UnusableInputError;
