import { readFile } from 'node:fs/promises';

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
}

/** Name and version from package.json (works from src/ and from dist/src/). */
export async function readPackageInfo(): Promise<PackageInfo> {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    const text = await readFile(new URL(candidate, import.meta.url), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const parsed = JSON.parse(text) as Partial<PackageInfo>;
    if (parsed.name === 'imageurl' && typeof parsed.version === 'string')
      return { name: parsed.name, version: parsed.version };
  }
  throw new Error('package.json of imageurl not found');
}
