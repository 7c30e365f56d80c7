/**
 * Boot of the task pane page: inside Excel, mount the pane over the Excel adapter; inside the
 * playground (an iframe whose parent exposes an in-memory workbook), over that; anywhere
 * else, say clearly that the pane must run inside Excel.
 */
import { createExcelPort } from "../excel-adapter.js";
import type { WorkbookPort } from "../workbook-port.js";
import { mountOutside, mountPane, type View } from "./pane.js";
import { workerAnalyser, type WorkerLike } from "../worker-client.js";

export interface PlaygroundHost {
  port: WorkbookPort;
  displayLanguage: string;
  onWorkbookChanged(): void;
}

declare global {
  interface Window {
    crmPlayground?: PlaygroundHost;
    /** Set by legacy.js when this web view is too old: it has shown its message instead. */
    crmLegacy?: boolean;
  }
}

const root = document.getElementById("app") as HTMLElement;
const params = new URLSearchParams(location.search);
const view =
  (["home", "followups", "settings", "today", "review", "owners"] as const).find(
    (v) => v === params.get("view"),
  ) ?? "home";

// The worker's script sits beside this bundle (the playground's pane page is one folder down).
const bundle = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
const analyser = workerAnalyser(
  typeof Worker === "function"
    ? () => new Worker(new URL("analysis-worker.js", bundle)) as unknown as WorkerLike
    : null,
  { keepForCards: true },
);

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function playgroundHost(): PlaygroundHost | null {
  try {
    return window.parent !== window ? (window.parent.crmPlayground ?? null) : null;
  } catch {
    return null; // a cross-origin parent (Office on the web) is not the playground
  }
}

async function boot(): Promise<void> {
  const pg = playgroundHost();
  if (pg) {
    mountPane(root, {
      port: pg.port,
      displayLanguage: pg.displayLanguage,
      storage: storage(),
      view: view as View,
      onWorkbookChanged: pg.onWorkbookChanged,
      analyser,
    });
    return;
  }
  if (typeof Office === "undefined") {
    mountOutside(root, navigator.language, "playground/");
    return;
  }
  try {
    const info = await Office.onReady();
    if (info.host !== Office.HostType.Excel) {
      mountOutside(root, navigator.language, "playground/");
      return;
    }
    mountPane(root, {
      port: createExcelPort(),
      displayLanguage: Office.context.displayLanguage,
      storage: storage(),
      view: view as View,
      analyser,
    });
  } catch {
    mountOutside(root, navigator.language, "playground/");
  }
}

if (!window.crmLegacy) void boot();
