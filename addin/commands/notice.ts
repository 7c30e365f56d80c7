/**
 * The ribbon command's notice dialog (notice.html): shows the text it is given and closes on
 * OK. A file of its own, not an inline script, so that the page's Content Security Policy
 * allows scripts only from this origin and Office's CDN.
 */
const text = document.getElementById("text");
if (text) text.textContent = new URLSearchParams(location.search).get("text") ?? "";
document.getElementById("close")?.addEventListener("click", () => {
  try {
    Office.context.ui.messageParent("close");
  } catch {
    window.close();
  }
});
if (typeof Office !== "undefined") void Office.onReady();
