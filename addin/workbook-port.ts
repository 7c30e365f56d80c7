/**
 * The small typed interface between the task pane (and the ribbon commands) and a workbook.
 * The Excel adapter implements it over Office.js; tests and the playground run the same
 * adapter over the in-memory fake. The pane never touches Excel itself.
 */
import type { Message, RawTable } from "../analysis/types.js";
import type { OwnedSheet, WorkbookOutput } from "../analysis/workbook.js";
import type { ContactEntry } from "../analysis/contact-log.js";
import type { InteractionRole } from "../analysis/headers.js";

/** What a table holds, as headers.ts classifies it. */
export type TableKind = "orders" | "customers" | "interactions" | "history" | "settings";

/** The tables the analysis reads; mirrors analysis/index.ts WorkbookInput. */
export interface PortInput {
  orders: RawTable | null;
  customers: RawTable | null;
  interactions: RawTable | null;
  settings: RawTable | null;
  history: RawTable | null;
}

/** A table the adapter found and read. */
export interface FoundTable {
  kind: TableKind;
  sheet: string;
  /** Excel table name; null for a plain range. */
  table: string | null;
  /** Data rows read. */
  rows: number;
}

/** Data found outside an Excel table: the pane offers to convert it (one click). */
export interface PlainRange {
  kind: TableKind;
  sheet: string;
  /** A1 address of header + data, without the sheet. */
  address: string;
}

export interface ReadResult {
  input: PortInput;
  found: FoundTable[];
  plainRanges: PlainRange[];
}

export interface Progress {
  phase: "read" | "analyze" | "write";
  done: number;
  total: number;
}

export interface PortOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface WriteOptions extends PortOptions {
  /** Excel date system used to turn epoch days into serials. */
  dateSystem: "1900" | "1904";
}

export interface WriteReport {
  /** Owned columns written into the Customers table (headers). */
  columns: string[];
  /** Owned sheets written. */
  sheets: string[];
  /** Owned sheets left alone (the Settings sheet once it exists). */
  kept: string[];
  charts: number;
  /**
   * The name each owned sheet has after the write: its model's name, or a free name beside a
   * user's sheet of that name ("Analysis (2)"), or the name the user gave it.
   */
  names?: Partial<Record<OwnedSheet, string>>;
  /** Things the user should know (e.g. result columns skipped on a plain range). */
  warnings: Message[];
}

/** The row of the selected cell, and the customer ID it carries (issue 17 §1). */
export interface SelectedRow {
  sheet: string;
  /** 1-based sheet row of the selection's first cell. */
  row: number;
  /** The table the row belongs to (as last read), or the Follow-ups sheet; null elsewhere. */
  kind: TableKind | "followups" | null;
  /** The row's customer ID; null when the row has none (header, blank, or no ID column). */
  id: string | null;
  /** The Orders table's row count differs from the last read: the analysis is older. */
  stale: boolean;
}

/** How `appendInteraction` went (issue 17 §2). */
export type AppendResult =
  | {
      status: "written";
      sheet: string;
      /** 1-based sheet row of the row written: the one to delete to undo it. */
      row: number;
      /** The sheet and its Interactions table were created for this row. */
      created: boolean;
      /** The language the row's words were written in (the table's). */
      lang: "zh" | "en";
      /** Roles the form filled that the table has no column for (not written). */
      dropped: InteractionRole[];
    }
  /** No Interactions table, and `create` was not given: nothing was written. */
  | { status: "missing"; sheet: string; headers: string[] };

export interface AppendOptions {
  /** Create the Interactions sheet and table when there is none (after the user agreed). */
  create?: boolean;
  /** The language of a new sheet's name and headers (the pane's). */
  lang: "zh" | "en";
  dateSystem: "1900" | "1904";
}

export interface WorkbookPort {
  /** Find and read every table the analysis needs (Orders required; others optional). */
  read(opts?: PortOptions): Promise<ReadResult>;
  /** Write the owned columns and sheets; nothing else is touched. */
  write(output: WorkbookOutput, opts: WriteOptions): Promise<WriteReport>;
  /** Select a cell named by sheet, 1-based sheet row and column header (a data issue's place). */
  select(sheet: string, row: number, column: string): Promise<void>;
  /** Turn a plain range into an Excel table; returns the table's name. */
  convertToTable(range: PlainRange): Promise<string>;
  /** Activate the first existing sheet among the names; false when none exists. */
  activate(names: string[]): Promise<boolean>;
  /** Add tables (the sample workbook) on new sheets; refuses when a sheet name is taken. */
  addTables(
    tables: { sheet: string; table: string; data: RawTable; dateColumns: number[] }[],
    opts: WriteOptions,
  ): Promise<void>;
  /** The selected cell's row and its customer ID, by the tables of the last read. */
  selectedRow(): Promise<SelectedRow>;
  /**
   * Call `handler` with the selected row whenever the selection changes; resolves to an
   * unsubscribe. Does nothing (no-op unsubscribe) where the host lacks the event.
   */
  onSelection(handler: (row: SelectedRow) => void): Promise<() => Promise<void>>;
  /**
   * Append exactly one row to the Interactions table for a logged contact; no other row or
   * cell changes. Without the table: `missing` (nothing written) unless `create` is given.
   * A protected sheet or workbook is refused with an AddinError, nothing written.
   */
  appendInteraction(entry: ContactEntry, opts: AppendOptions): Promise<AppendResult>;
  /** Feature support of the host, for the pane to explain fallbacks. */
  support(): { funnel: boolean; screenUpdating: boolean };
}

/** A failure the pane shows in the user's language. */
export class AddinError extends Error {
  constructor(readonly msg: Message) {
    super(msg.key);
    this.name = "AddinError";
  }
}

/** The user pressed Cancel. */
export class CancelledError extends AddinError {
  constructor() {
    super({ key: "addin.error.cancelled" });
    this.name = "CancelledError";
  }
}
