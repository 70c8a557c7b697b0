import { gunzipSync } from 'node:zlib';
import { parse, parseAllDocuments } from 'yaml';

/** Bootstrap data that names kubeadm but cannot be followed; `code` is stable, `field` names where. */
export class KubeadmBootstrapError extends Error {
  readonly code = 'KUBEADM_BOOTSTRAP_INVALID';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface WrittenFile {
  readonly path: string;
  readonly content: Buffer;
  /** Octal string as cloud-init takes it, e.g. `0600`; undefined: cloud-init's default 0644. */
  readonly permissions: string | undefined;
}

/** What a kubeadm cloud-config asks the node to do (Cluster API's kubeadm bootstrap format). */
export interface KubeadmCloudConfig {
  readonly command: 'init' | 'join';
  readonly files: readonly WrittenFile[];
  /** The documents of the kubeadm config file the command reads (`--config`), each an object. */
  readonly kubeadmDocuments: readonly Record<string, unknown>[];
}

const configFlag = /--config[= ]+(\S+)/;

/**
 * Reads Cluster API kubeadm bootstrap data: a cloud-config (the `## template: jinja` line
 * before `#cloud-config` allowed) whose `runcmd` runs `kubeadm init` or `kubeadm join` with
 * `--config FILE`, FILE among its `write_files`. Other bootstrap data: undefined (not kubeadm's).
 */
export function parseKubeadmCloudConfig(data: string): KubeadmCloudConfig | undefined {
  const body = data.replace(/^## template: jinja\r?\n/, '');
  if (!body.startsWith('#cloud-config')) return undefined;
  let document: unknown;
  try {
    document = parse(body);
  } catch {
    return undefined; // not YAML: cloud-init would ignore it too, and so does kubeadm
  }
  if (typeof document !== 'object' || document === null) return undefined;
  const record = document as Record<string, unknown>;
  const kubeadm = kubeadmCommand(record.runcmd);
  if (kubeadm === undefined) return undefined;
  const files = writeFiles(record.write_files);
  const configPath = configFlag.exec(kubeadm.line)?.[1]?.replace(/['"]/g, '');
  if (configPath === undefined)
    throw new KubeadmBootstrapError('runcmd', `kubeadm ${kubeadm.command} without --config`);
  const configFile = files.find((file) => file.path === configPath);
  if (configFile === undefined)
    throw new KubeadmBootstrapError('write_files', `no file ${configPath} for kubeadm --config`);
  return {
    command: kubeadm.command,
    files,
    kubeadmDocuments: yamlDocuments(configFile.content.toString('utf8'), configPath),
  };
}

/** The file written to `path`, as text; undefined when the bootstrap data has none. */
export function fileText(config: KubeadmCloudConfig, path: string): string | undefined {
  return config.files.find((file) => file.path === path)?.content.toString('utf8');
}

function kubeadmCommand(runcmd: unknown): { command: 'init' | 'join'; line: string } | undefined {
  if (!Array.isArray(runcmd)) return undefined;
  for (const entry of runcmd) {
    const line = Array.isArray(entry) ? entry.map(String).join(' ') : String(entry);
    const match = /(?:^|[\s;&|'"])kubeadm\s+(init|join)\b/.exec(line);
    if (match) return { command: match[1] as 'init' | 'join', line };
  }
  return undefined;
}

function writeFiles(value: unknown): WrittenFile[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KubeadmBootstrapError('write_files', 'must be a list');
  return value.map((entry: unknown, index) => {
    const field = `write_files[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new KubeadmBootstrapError(field, 'must be a map');
    const file = entry as Record<string, unknown>;
    if (typeof file.path !== 'string' || !file.path.startsWith('/'))
      throw new KubeadmBootstrapError(`${field}.path`, 'must be an absolute path');
    const content = typeof file.content === 'string' ? file.content : '';
    return {
      path: file.path,
      content: decode(content, typeof file.encoding === 'string' ? file.encoding : '', field),
      permissions: typeof file.permissions === 'string' ? file.permissions : undefined,
    };
  });
}

/** cloud-init's encodings (cc_write_files): b64/base64, gz/gzip, gz+b64/gzip+base64, else text. */
function decode(content: string, encoding: string, field: string): Buffer {
  const kind = encoding.toLowerCase();
  try {
    if (kind === 'b64' || kind === 'base64') return Buffer.from(content, 'base64');
    if (kind === 'gz+b64' || kind === 'gzip+base64' || kind === 'gz+base64')
      return gunzipSync(Buffer.from(content, 'base64'));
    if (kind === 'gz' || kind === 'gzip') return gunzipSync(Buffer.from(content, 'latin1'));
  } catch (error) {
    throw new KubeadmBootstrapError(`${field}.content`, `cannot decode as ${encoding}: ${String(error)}`);
  }
  return Buffer.from(content, 'utf8');
}

function yamlDocuments(text: string, path: string): Record<string, unknown>[] {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const objects: Record<string, unknown>[] = [];
  for (const document of list) {
    if (document.errors.length > 0)
      throw new KubeadmBootstrapError(path, `not YAML: ${document.errors[0]?.message ?? ''}`.slice(0, 200));
    const value: unknown = document.toJS();
    if (typeof value === 'object' && value !== null) objects.push(value as Record<string, unknown>);
  }
  return objects;
}
