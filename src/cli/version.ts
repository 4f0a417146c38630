import { readFileSync } from 'node:fs';

/** Reads the version from package.json next to src/ or dist/. */
export function readPackageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
