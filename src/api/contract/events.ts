/**
 * Event ingestion (`POST /api/v1/events`): the backup platform sends events with an ingest
 * token. The body is read raw and checked by the ingestion part, since it may be one JSON event,
 * a JSON array of events or NDJSON; so the endpoint declares no body schema here.
 */
import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';

/** Largest body `POST /api/v1/events` accepts: 5 MiB, room for 1,000 events with long messages. */
export const EVENTS_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export const IngestResultSchema = z.object({
  accepted: z.number().int().nonnegative().describe('Events stored now, each queued for delivery'),
  duplicates: z
    .number()
    .int()
    .nonnegative()
    .describe('Events whose id was already stored, or repeated in the request; stored once'),
  eventIds: z
    .array(z.string())
    .optional()
    .describe('The bridge ids of the accepted events, in request order'),
});
export type IngestResultView = z.infer<typeof IngestResultSchema>;

/** Accepts backup events; answers once every accepted event is durably stored. */
export const postEvents = defineEndpoint({
  method: 'POST',
  path: '/api/v1/events',
  summary: 'Send backup events',
  description: [
    'Authenticate with `Authorization: Bearer <ingest token>` (see /api/v1/ingest-tokens); API tokens and console sessions are not accepted here.',
    'Send one JSON event or a JSON array of up to 1,000 (`application/json`), or one event per line (`application/x-ndjson`); the body may be up to 5 MiB.',
    'An event: `{ id?, type, occurredAt, company, device: { id, name?, os? }, job?: { id?, name?, errorCode?, startedAt?, finishedAt?, bytes?, files? }, message? }`.',
    'The answer is 202 once every accepted event is stored. A request with any bad event gets 400 listing every problem (`errors[].index`, `path`, `message`), and nothing of it is stored.',
    'An event whose `id` was already accepted counts as a duplicate and is stored once.',
  ].join('\n\n'),
  tags: ['events'],
  // Not a console credential: the route checks its ingest token itself.
  access: 'public',
  status: 202,
  response: IngestResultSchema,
});
