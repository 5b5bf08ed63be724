import fs from 'node:fs';
import { z } from 'zod';
import { FunnelscopeError } from '../../shared/errors';
import { DIMENSIONS, EVENT_VALUES, IDENTIFIER_ROLES } from '../../shared/events';
import { SHAPES, type Mapping } from '../../shared/ingest';

const columnRole = z.discriminatedUnion('role', [
  z.object({ role: z.literal('time') }),
  z.object({ role: z.literal('end_time') }),
  z.object({ role: z.literal('event') }),
  z.object({ role: z.literal('call_type') }),
  z.object({ role: z.literal('identifier'), as: z.enum(IDENTIFIER_ROLES) }),
  z.object({ role: z.literal('dimension'), as: z.enum(DIMENSIONS) }),
  z.object({ role: z.literal('value'), as: z.enum(EVENT_VALUES) }),
  z.object({
    role: z.literal('measure'),
    as: z.string().regex(/^[a-z][a-z0-9_]*$/, 'measure names are snake_case'),
  }),
  z.object({ role: z.literal('annotation_kind') }),
  z.object({ role: z.literal('annotation_label') }),
  z.object({ role: z.literal('annotation_cohort') }),
  z.object({ role: z.literal('text') }),
  z.object({ role: z.literal('ignore') }),
]);

export const mappingSchema = z.strictObject({
  shape: z.enum(SHAPES),
  preset: z.string().optional(),
  columns: z.record(z.string(), columnRole),
  eventNames: z.record(z.string(), z.string()).optional(),
  timeFormat: z.enum(['auto', 'iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns']).optional(),
  timeZone: z.string().optional(),
  keepPlain: z.array(z.string()).optional(),
  revenueFromPrice: z.boolean().optional(),
  delimiter: z.string().length(1).optional(),
});

export function parseMapping(value: unknown, origin: string): Mapping {
  const result = mappingSchema.safeParse(value);
  if (!result.success)
    throw new FunnelscopeError(
      'MAPPING_INVALID',
      `The mapping in ${origin} is not valid:\n${z.prettifyError(result.error)}`,
    );
  return result.data as Mapping;
}

export function readMappingFile(file: string): Mapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FunnelscopeError('FILE_NOT_FOUND', `Mapping file ${file} cannot be read. Check the path.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FunnelscopeError(
      'MAPPING_INVALID',
      `Mapping file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return parseMapping(json, file);
}
