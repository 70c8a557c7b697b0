/** The webhook server: AdmissionReview for a list of KindAdmissions and ConversionReview over HTTPS. */
export { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './webhook-server.js';
export { buildRoutes, qualifiedKind, webhookPath, type ServedKind, type WebhookType } from './routes.js';
export { CERT_FILE, KEY_FILE, CertificateFilesError } from './certificate-files.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
export { silentLog, type LogFields, type WebhookLog } from './webhook-log.js';
export { diffJson, escapePointerSegment, type JsonPatchOperation } from './json-patch.js';
export {
  CA_INJECTION,
  webhookConfigurations,
  webhookManifestsYaml,
  webhookName,
  type ClientConfig,
  type ManifestOptions,
  type WebhookKindRef,
} from './webhook-manifests.js';
