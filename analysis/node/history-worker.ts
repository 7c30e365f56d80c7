/** The --history scan's worker thread (history-scan.ts), built to dist/history-worker.mjs. */
import { historyScanWorker, isHistoryScanWorker } from "./history-scan.js";

if (isHistoryScanWorker()) void historyScanWorker();
