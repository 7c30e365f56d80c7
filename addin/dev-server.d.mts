/** Types of dev-server.mjs for the tests. */
import type { ServerOptions } from "node:https";
export const DIST: string;
export function serve(opts?: {
  dir?: string;
  port?: number;
  host?: string;
  tls?: ServerOptions | null;
}): Promise<{ url: string; close(): Promise<void> }>;
export const DEFAULT_CERT_DIR: string;
export function localCertificates(opts?: { dir?: string; now?: number }): Promise<{
  made: boolean;
  caPath: string;
  certPath: string;
  keyPath: string;
  tls: { cert: Buffer; key: Buffer; ca: Buffer };
}>;
export function trustHelp(caPath: string, url: string): string;
