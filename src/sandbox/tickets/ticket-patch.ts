/**
 * Applies a ConnectWise PATCH body (§3.12) to a ticket's write-side view: a JSON array of
 * `{op: add|replace|remove, path, value}`; `path` is a top-level field name, case-sensitive,
 * with an optional leading `/` (best guess, switchable); a nested path such as
 * `company/identifier` is refused, or silently ignored to mimic the documented "false 200".
 */
import type { SandboxBehaviour } from '../behaviour.js';
import { FieldErrors, invalidObject } from '../cw-errors.js';
import { isPlainObject, READ_ONLY_TICKET_FIELDS, WRITABLE_TICKET_FIELDS } from './ticket-write.js';

export interface PatchOutcome {
  /** The view with every accepted operation applied. */
  readonly input: Record<string, unknown>;
  /** Fields the operations touched (a "false 200" touches none). */
  readonly touched: ReadonlySet<string>;
}

const EXAMPLE = '[{"op": "replace", "path": "summary", "value": "New summary"}]';

/** @throws CwHttpError 400 `InvalidObject` naming each bad operation. */
export function applyTicketPatch(
  view: Record<string, unknown>,
  body: unknown,
  behaviour: SandboxBehaviour,
): PatchOutcome {
  if (!Array.isArray(body)) {
    throw invalidObject('ticket', [
      {
        code: 'InvalidObject',
        message: `A PATCH body must be a JSON array of operations, e.g. ${EXAMPLE}.`,
        resource: 'ticket',
      },
    ]);
  }
  const errors = new FieldErrors('ticket');
  const input = { ...view };
  const touched = new Set<string>();
  body.forEach((operation: unknown, i) => {
    const at = `[${i}]`;
    if (!isPlainObject(operation)) {
      errors.invalid(at, `Operation ${i} must be an object such as ${EXAMPLE.slice(1, -1)}.`);
      return;
    }
    const op = typeof operation['op'] === 'string' ? operation['op'].toLowerCase() : undefined;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      errors.invalid(`${at}/op`, `Operation ${i}: op must be add, replace or remove.`);
      return;
    }
    const rawPath = operation['path'];
    if (typeof rawPath !== 'string' || rawPath === '' || rawPath === '/') {
      errors.invalid(
        `${at}/path`,
        `Operation ${i}: path must name a ticket field, e.g. "summary".`,
      );
      return;
    }
    let path = rawPath;
    if (path.startsWith('/')) {
      if (!behaviour.patchLeadingSlash) {
        errors.invalid(
          `${at}/path`,
          `Operation ${i}: write the path without a leading slash ("${path.slice(1)}").`,
        );
        return;
      }
      path = path.slice(1);
    }
    if (path.includes('/')) {
      // "you cannot specify a location inside of the object … you may receive a false 200" (§3.12)
      if (behaviour.patchNestedPath === 'false200') return;
      errors.invalid(
        `${at}/path`,
        `Operation ${i}: "${path}" points inside an object; replace the whole object instead, e.g. {"op": "replace", "path": "${path.split('/')[0]}", "value": {"id": 1}}.`,
      );
      return;
    }
    if (READ_ONLY_TICKET_FIELDS.has(path)) {
      const hint =
        path === 'closedFlag'
          ? ' It follows the status: replace status with a closed status instead.'
          : '';
      errors.invalid(`${at}/path`, `Operation ${i}: ${path} is read-only.${hint}`);
      return;
    }
    if (!WRITABLE_TICKET_FIELDS.has(path)) {
      errors.invalid(
        `${at}/path`,
        `Operation ${i}: a ticket has no field "${path}" (paths are case-sensitive).`,
      );
      return;
    }
    if (op === 'remove') delete input[path];
    else input[path] = operation['value'] ?? null;
    touched.add(path);
  });
  errors.throwIfAny();
  return { input, touched };
}
