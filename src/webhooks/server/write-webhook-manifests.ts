/**
 * Writes config/webhook/manifests.yaml for the kinds the server admits (allKindAdmissions()) (a test fails when the file is stale).
 * Usage: node --import tsx src/webhooks/server/write-webhook-manifests.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allKindAdmissions } from '../kinds/index.js';
import { webhookManifestsYaml } from './webhook-manifests.js';

const file = fileURLToPath(new URL('../../../config/webhook/manifests.yaml', import.meta.url));
await mkdir(dirname(file), { recursive: true });
await writeFile(file, webhookManifestsYaml(allKindAdmissions()));
process.stdout.write(`wrote ${file}\n`);
