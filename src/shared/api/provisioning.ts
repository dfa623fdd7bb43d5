import { z } from 'zod';
import { endpoint } from './endpoint';
import { Diagnostic } from '../provisioning/diagnostic';
import { FilesDirEntry } from '../provisioning/files-dir';
import { IgnitionConfig } from '../provisioning/ignition-config';
import { ProvisioningIntent } from '../provisioning/intent';
import { RENDER_FORMATS } from '../provisioning/render';

/** A Butane config is a page of YAML; 256 KiB (UTF-8) leaves room for inlined scripts and keys. */
export const BUTANE_MAX_BYTES = 256 * 1024;

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const TranslateButaneRequest = z.object({
  // .max (characters) documents the bound in OpenAPI; the refinement enforces it in bytes.
  butane: z
    .string()
    .max(BUTANE_MAX_BYTES, 'butane must be at most 256 KiB')
    .refine((s) => utf8Length(s) <= BUTANE_MAX_BYTES, 'butane must be at most 256 KiB'),
  strict: z.boolean().optional(),
  /** The files directory `local:` sources and `storage.trees` read (`--files-dir`), uploaded: the server reads no disk for a caller. */
  files: z.array(FilesDirEntry).max(5000, 'files must list at most 5000 names').optional(),
});
export type TranslateButaneRequest = z.infer<typeof TranslateButaneRequest>;

/**
 * Translation problems are the answer, not a failure: 200 with `ignition: null` and positioned
 * errors, so the editor can underline them. Only a malformed request body is a 400.
 */
export const TranslateButaneResponse = z.object({
  ignition: IgnitionConfig.nullable(),
  warnings: z.array(Diagnostic),
  errors: z.array(Diagnostic),
});
export type TranslateButaneResponse = z.infer<typeof TranslateButaneResponse>;

/** A custom method in the AIP-136 style; `::` is Fastify's literal colon, so the URL is `butane:translate`. */
export const translateButaneToIgnition = endpoint({
  method: 'POST',
  path: '/api/provisioning/butane::translate',
  summary: 'Translate a Butane config to Ignition, with warnings and errors positioned in the source',
  body: TranslateButaneRequest,
  response: TranslateButaneResponse,
});

export const RenderProvisioningRequest = z.object({
  intent: ProvisioningIntent,
  format: z.enum(RENDER_FORMATS, { message: `format must be one of ${RENDER_FORMATS.join(', ')}` }),
});

export const RenderProvisioningResponse = z.object({
  format: z.enum(RENDER_FORMATS),
  contentType: z.string(),
  output: z.string(),
  warnings: z.array(Diagnostic),
});
export type RenderProvisioningResponse = z.infer<typeof RenderProvisioningResponse>;

export const renderProvisioning = endpoint({
  method: 'POST',
  path: '/api/provisioning/intent::render',
  summary: 'Render a provisioning intent (hostname, users, files, units, commands) as cloud-init, Butane or Ignition',
  body: RenderProvisioningRequest,
  response: RenderProvisioningResponse,
});
