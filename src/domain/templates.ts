/**
 * Mustache templates for ticket summaries. Admins edit them, so they are logic-less (no code runs)
 * and checked before they are saved: they must parse and may only name known variables.
 *
 * Rendering uses a private `Mustache.Writer` with an identity escape passed per call: ticket text is
 * plain text, not HTML, and changing the global `Mustache.escape` would leak into every other user
 * of the library in the process.
 */
import Mustache from 'mustache';

/** Every variable a summary template may use, with what it holds. */
export const TEMPLATE_VARIABLES = {
  company: 'the company name from the event',
  device: 'the device name, or its id when it has no name',
  deviceName: 'the device name (empty when the event has none)',
  deviceId: 'the device id',
  os: 'the operating system (may be empty)',
  jobName: 'the job name (may be empty)',
  jobId: 'the job id (may be empty)',
  errorCode: 'the error code (may be empty)',
  message: 'the event message (may be empty)',
  eventType: 'the event type, e.g. backup.failed',
  eventLabel: 'the event type in words, e.g. backup failed',
  condition: 'backup, device, restore or quota',
  conditionLabel: 'the condition in words, e.g. backup problems',
  count: 'how many problem events the incident has seen',
  deviceCount: 'how many devices a storm ticket covers (1 for a device ticket)',
  firstSeen: 'when the problem was first seen, e.g. 2026-12-03 10:00 UTC',
  lastSeen: 'when the problem was last seen',
} as const;

/** Name of a template variable. */
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

/** Values for every template variable; absent values render as empty text. */
export type TemplateView = Readonly<Record<TemplateVariable, string | number>>;

const TAGS: [string, string] = ['{{', '}}'];
const writer = new Mustache.Writer();
const identity = (value: unknown): string => String(value);

type Token = [string, string, number, number, ...unknown[]];

// Walks the token tree and reports names that are not template variables, partials (there are
// none to include) and delimiter changes (they make admin templates unreadable for the next admin).
function checkTokens(tokens: readonly Token[], problems: string[]): void {
  for (const token of tokens) {
    const [type, value] = token;
    if (type === 'text' || type === '!') continue;
    if (type === '>') {
      problems.push(`partials are not supported ({{> ${value}}})`);
    } else if (type === '=') {
      problems.push('changing the delimiters ({{= =}}) is not supported');
    } else if (!Object.hasOwn(TEMPLATE_VARIABLES, value)) {
      problems.push(
        `unknown variable "${value}"; known: ${Object.keys(TEMPLATE_VARIABLES).join(', ')}`,
      );
    }
    const children = token[4];
    if ((type === '#' || type === '^') && Array.isArray(children)) {
      checkTokens(children as Token[], problems);
    }
  }
}

/**
 * Problems with a template, in words; an empty array means it is valid.
 *
 * @example templateProblems('{{device}}: backup failed') // []
 * @example templateProblems('{{devise}}') // ['unknown variable "devise"; known: company, …']
 */
export function templateProblems(template: string): string[] {
  let tokens: Token[];
  try {
    tokens = writer.parse(template, TAGS) as Token[];
  } catch (error) {
    return [`does not parse: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  checkTokens(tokens, problems);
  return [...new Set(problems)];
}

/**
 * Renders a template without HTML escaping. Call only with templates that passed
 * `templateProblems` (rules validation guarantees that for configured templates).
 *
 * @example renderTemplate('{{device}} & co', view) // 'FS01 & co', not 'FS01 &amp; co'
 */
export function renderTemplate(template: string, view: TemplateView): string {
  return writer.render(template, view, {}, { escape: identity, tags: TAGS });
}
