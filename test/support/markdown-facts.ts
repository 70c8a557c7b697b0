import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * What the docs name, read from their Markdown, and what the code has, read from the CLI and
 * the sources, for test/static/docs-match-code.test.ts.
 */

const run = promisify(execFile);

/** One name a document uses, with its line for the failure message. */
export interface Mention {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Markdown files below `dir` (recursively), relative to `root`. */
export async function markdownFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length))
    .sort();
}

function mentions(file: string, text: string, pattern: RegExp, group = 1): Mention[] {
  const found: Mention[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(pattern)) {
      const value = match[group];
      if (value !== undefined) found.push({ file, line: index + 1, text: value });
    }
  });
  return found;
}

/** The text outside fenced code blocks (fences become empty lines, so line numbers stay). */
export function withoutFences(text: string): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** Every long option (`--name`) anywhere in the text, code blocks included. */
export function flagMentions(file: string, text: string): Mention[] {
  return mentions(file, text, /(?<![\w-])(--[a-z][a-zA-Z0-9-]*)/g);
}

/** Relative link targets of `[text](target)` outside code blocks. */
export function linkMentions(file: string, text: string): Mention[] {
  return mentions(file, withoutFences(text), /\]\(([^)\s]+)\)/g).filter(
    (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link.text),
  );
}

/** Inline code spans that are one CamelCase word (`ImageURLCommandNotAccessible`, `Ready`). */
export function camelCaseMentions(file: string, text: string): Mention[] {
  return mentions(file, withoutFences(text), /`([A-Z][A-Za-z0-9]*)`/g);
}

/** GitHub's anchors of a Markdown file's headings. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = match[1] ?? '';
    anchors.add(
      heading
        .toLowerCase()
        .replace(/[`*_]/g, '')
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

/** `--help` of the CLI and of every command and subcommand it lists, concatenated. */
export async function cliHelp(bin: string, path: readonly string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, ...path, '--help'], { timeout: 120_000 });
  const commands = [...(stdout.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][\w-]*)/gm)]
    .map((match) => match[1] ?? '')
    .filter((name) => name !== 'help');
  const nested = await Promise.all(commands.map((name) => cliHelp(bin, [...path, name])));
  return [stdout, ...nested].join('\n');
}

/** The long options a help text lists (`--flag`, `--no-flag`). */
export function helpFlags(help: string): Set<string> {
  return new Set([...help.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)/g)].map((match) => match[1] ?? ''));
}

/** Every string literal that is one CamelCase word in the non-test TypeScript below `dirs`. */
export async function codeNames(root: string, dirs: readonly string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const dir of dirs) {
    const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      for (const match of text.matchAll(/['"`]([A-Z][A-Za-z0-9]*)['"`]/g)) names.add(match[1] ?? '');
    }
  }
  return names;
}
