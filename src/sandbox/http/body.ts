/**
 * Reading request bodies: bounded in size (a larger body is refused before it is buffered) and
 * parsed as JSON only when a handler asks, so a member without permission gets its 403 even for
 * a body that is not JSON (permission is checked first, see the README's "Permission probes").
 */
import type { IncomingMessage } from 'node:http';

import { badRequest, CwHttpError } from '../cw-errors.js';

/** The raw body, or `tooLarge` once more than `maxBytes` arrived (the rest is not read). */
export async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ kind: 'ok'; bytes: Buffer } | { kind: 'tooLarge' }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: 'tooLarge' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return { kind: 'tooLarge' };
    chunks.push(buffer);
  }
  return { kind: 'ok', bytes: Buffer.concat(chunks) };
}

/** 413 in ConnectWise's envelope, naming the limit. */
export function bodyTooLarge(maxBytes: number): CwHttpError {
  return new CwHttpError(
    413,
    {
      code: 'RequestEntityTooLarge',
      message: `The request body is larger than ${maxBytes} bytes; send less data per request.`,
    },
    { connection: 'close' },
  );
}

/**
 * Parses a JSON body. A body with a non-JSON content type gets 415 (ASP.NET binds JSON only);
 * an empty or malformed one gets a 400 naming the problem.
 */
export function parseJsonBody(bytes: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const jsonType = type === 'application/json' || type === 'text/json' || type.endsWith('+json');
  if (bytes.length > 0 && !jsonType) {
    throw new CwHttpError(415, {
      code: 'ConnectWiseApi',
      message: `The request entity's media type '${type || 'application/octet-stream'}' is not supported for this resource; send Content-Type: application/json.`,
    });
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON body.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
