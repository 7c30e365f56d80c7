/**
 * The ribbon's function file: "Analyze" runs without opening the task pane. The outcome is
 * shown as a short notification in the user's language (errors included); the pane shows
 * the full summary when opened.
 */
import { analyzeWorkbook } from "../analyze.js";
import { createExcelPort, excelErrorMessage } from "../excel-adapter.js";
import { langFromLocale, t } from "../../analysis/messages/index.js";
import type { Message } from "../../analysis/types.js";

/** Show a short notice in a dialog (the only UI a function command may open); resolves when it closes. */
function notify(text: string): Promise<void> {
  const url = new URL("notice.html", location.href);
  url.searchParams.set("text", text);
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 120_000);
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
    const summary = await analyzeWorkbook(createExcelPort(), { lang });
    const msg: Message = { key: "addin.command.done", params: { customers: summary.customers } };
    await notify([t(lang, msg), ...summary.notices.map((n) => t(lang, n))].join("\n"));
  } catch (e) {
    const m = (e as { msg?: Message })?.msg ?? excelErrorMessage(e);
    await notify(`${t(lang, "addin.error.title")}: ${t(lang, m)}`);
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  Office.actions.associate("analyze", analyze);
});
