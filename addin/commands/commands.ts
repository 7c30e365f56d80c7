/**
 * The ribbon's function file: "Analyze" runs without opening the task pane, bounded so that it
 * always finishes before Office ends the command (command-run.ts: large workbooks go to the
 * pane). The outcome is shown as a short notification in the user's language (errors
 * included); the pane shows the full summary when opened.
 */
import { createExcelPort } from "../excel-adapter.js";
import { workerAnalyser, type WorkerLike } from "../worker-client.js";
import { langFromLocale, t } from "../../analysis/messages/index.js";
import { runCommand } from "./command-run.js";

// The analysis worker's script sits beside this file's bundle.
const bundle = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
const analyser = workerAnalyser(
  typeof Worker === "function"
    ? () => new Worker(new URL("analysis-worker.js", bundle)) as unknown as WorkerLike
    : null,
);

/**
 * Show a short notice in a dialog (the only UI a function command may open); resolves when it
 * closes, or after `ms` at most (the command must complete before Office ends it).
 */
function notify(text: string, ms: number): Promise<void> {
  const url = new URL("notice.html", location.href);
  url.searchParams.set("text", text);
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, Math.min(120_000, ms)));
    Office.context.ui.displayDialogAsync(
      url.toString(),
      { height: 22, width: 30, displayInIframe: true },
      (res) => {
        if (res.status !== Office.AsyncResultStatus.Succeeded) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const dialog = res.value;
        const done = () => {
          clearTimeout(timer);
          dialog.close();
          resolve();
        };
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, done);
        dialog.addEventHandler(Office.EventType.DialogEventReceived, done);
      },
    );
  });
}

async function analyze(event: Office.AddinCommands.Event): Promise<void> {
  const lang = langFromLocale(Office.context.displayLanguage);
  try {
    const outcome = await runCommand(createExcelPort(), { lang, analyser });
    const lines = outcome.messages.map((m) => t(lang, m));
    if (outcome.status === "failed") lines[0] = `${t(lang, "addin.error.title")}: ${lines[0]}`;
    await notify(lines.join("\n"), outcome.noticeUntil - Date.now());
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  Office.actions.associate("analyze", analyze);
});
