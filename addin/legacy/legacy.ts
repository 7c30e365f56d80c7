/**
 * dist/addin/legacy.js: loaded before the pane's bundle, written in ES5 only (the bundle test
 * parses it at ECMAScript 5). The pane's bundle is ES2020 and uses built-ins of 2020–2022
 * engines (structuredClone, String.prototype.replaceAll, Array.prototype.flatMap,
 * Object.fromEntries); the web views that lack them (Internet Explorer's Trident and Edge
 * Legacy's EdgeHTML, still used by some Office 2016/2019 installations on Windows) would show
 * a blank pane. Here they get Microsoft's recommended "graceful failure" instead: a message in
 * the user's language saying what to use. Every engine that has these built-ins parses ES2020.
 *
 * The texts are the messages addin.legacy.title/body, put in by build.mjs (LEGACY_TEXT).
 */
/* eslint-disable no-var -- ES5 only: esbuild cannot lower let/const to ES5 */
declare var LEGACY_TEXT: {
  zh: { title: string; body: string };
  en: { title: string; body: string };
};

interface LegacyWindow {
  crmLegacy?: boolean;
  structuredClone?: unknown;
  Worker?: unknown;
  navigator: { language?: string; userLanguage?: string };
  document: Document;
}

(function (w: LegacyWindow & Record<string, unknown>) {
  var str = String.prototype as unknown as Record<string, unknown>;
  var arr = Array.prototype as unknown as Record<string, unknown>;
  var obj = Object as unknown as Record<string, unknown>;
  var modern =
    typeof w.structuredClone === "function" &&
    typeof str.replaceAll === "function" &&
    typeof arr.flatMap === "function" &&
    typeof obj.fromEntries === "function";
  if (modern) return;
  w.crmLegacy = true;
  var lang = String(w.navigator.language || w.navigator.userLanguage || "");
  var text = lang.toLowerCase().indexOf("zh") === 0 ? LEGACY_TEXT.zh : LEGACY_TEXT.en;
  var doc = w.document;
  var app = doc.getElementById("app");
  if (!app) return;
  while (app.firstChild) app.removeChild(app.firstChild);
  var main = doc.createElement("main");
  main.className = "outside";
  main.setAttribute("role", "alert");
  var h = doc.createElement("h2");
  h.appendChild(doc.createTextNode(text.title));
  var p = doc.createElement("p");
  p.appendChild(doc.createTextNode(text.body));
  main.appendChild(h);
  main.appendChild(p);
  app.appendChild(main);
})(window as unknown as LegacyWindow & Record<string, unknown>);
