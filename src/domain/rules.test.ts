import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { RulesValidationError } from './errors.js';
import { DEFAULT_RULES, companyTicketing, parseRulesOverride, resolveRules } from './rules.js';
import { renderTemplate, templateProblems } from './templates.js';
import type { TemplateView } from './templates.js';

const view: TemplateView = {
  company: 'Smith & Sons <UK>',
  device: 'FS01',
  deviceName: 'FS01',
  deviceId: 'dev-1',
  os: '',
  jobName: '',
  jobId: '',
  errorCode: 'E"1',
  message: '',
  eventType: 'backup.failed',
  eventLabel: 'backup failed',
  condition: 'backup',
  conditionLabel: 'backup problems',
  count: 3,
  deviceCount: 1,
  firstSeen: '2026-12-03 10:00 UTC',
  lastSeen: '2026-12-03 10:00 UTC',
};

describe('DEFAULT_RULES', () => {
  it('is a valid rules set whose templates all parse', () => {
    expect(resolveRules({})).toEqual(DEFAULT_RULES);
    for (const rule of Object.values(DEFAULT_RULES.events)) {
      expect(templateProblems(rule.summaryTemplate)).toEqual([]);
    }
    expect(templateProblems(DEFAULT_RULES.storm.summaryTemplate)).toEqual([]);
  });

  it.each([
    ['backup.failed', 1],
    ['backup.warning', 3],
    ['backup.missed', 1],
    ['device.offline', 1],
    ['restore.failed', 1],
    ['quota.exceeded', 1],
  ] as const)('sets the %s threshold to %i', (type, threshold) => {
    expect(DEFAULT_RULES.events[type].threshold).toBe(threshold);
  });

  it('closes after 1 success, notes hourly, reopens within 24 h, storms at 5 devices in 15 min', () => {
    expect(DEFAULT_RULES.conditions.backup).toEqual({
      closeAfterSuccesses: 1,
      noteIntervalMinutes: 60,
      reopenWindowHours: 24,
      closedWhileFailing: 'reopen',
    });
    expect(DEFAULT_RULES.storm).toMatchObject({ enabled: true, devices: 5, windowMinutes: 15 });
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_RULES))).toEqual(DEFAULT_RULES);
  });
});

describe('resolveRules', () => {
  it('merges a partial override setting by setting', () => {
    const rules = resolveRules({
      events: { 'backup.warning': { threshold: 5 } },
      conditions: { device: { closedWhileFailing: 'quiet' } },
      storm: { devices: 10 },
      companies: { Globex: { ticketing: false } },
    });
    expect(rules.events['backup.warning']).toEqual({
      ...DEFAULT_RULES.events['backup.warning'],
      threshold: 5,
    });
    expect(rules.events['backup.failed']).toEqual(DEFAULT_RULES.events['backup.failed']);
    expect(rules.conditions.device.closedWhileFailing).toBe('quiet');
    expect(rules.conditions.device.reopenWindowHours).toBe(24);
    expect(rules.storm).toEqual({ ...DEFAULT_RULES.storm, devices: 10 });
    expect(rules.companies).toEqual({ Globex: { ticketing: false } });
  });

  it('does not change DEFAULT_RULES', () => {
    resolveRules({ events: { 'backup.failed': { threshold: 9 } } });
    expect(DEFAULT_RULES.events['backup.failed'].threshold).toBe(1);
  });

  it('throws RulesValidationError listing every problem', () => {
    const thrown = (() => {
      try {
        resolveRules({ events: { 'backup.failed': { threshold: 0, priority: 'urgent' } } });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(RulesValidationError);
    expect((thrown as RulesValidationError).issues.map((issue) => issue.path)).toEqual([
      'events.backup.failed.priority',
      'events.backup.failed.threshold',
    ]);
  });
});

describe('parseRulesOverride validation messages', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'a threshold below 1',
      { events: { 'backup.warning': { threshold: 0 } } },
      'events.backup.warning.threshold',
      /threshold must be a whole number from 1 to 1000/,
    ],
    [
      'a fractional threshold',
      { events: { 'backup.warning': { threshold: 1.5 } } },
      'events.backup.warning.threshold',
      /whole number/,
    ],
    [
      'a negative storm hold',
      { storm: { holdMinutes: -1 } },
      'storm.holdMinutes',
      /holdMinutes must be a number of minutes from 0 to 1440/,
    ],
    [
      'an unknown priority',
      { events: { 'quota.exceeded': { priority: 'urgent' } } },
      'events.quota.exceeded.priority',
      /critical, high, medium, low/,
    ],
    [
      'an unknown event type',
      { events: { 'backup.exploded': {} } },
      'events',
      /Unrecognized key.*backup\.exploded/,
    ],
    [
      'a recovery type',
      { events: { 'backup.succeeded': { ticket: true } } },
      'events',
      /Unrecognized key/,
    ],
    ['an unknown setting', { storm: { size: 3 } }, 'storm', /Unrecognized key.*size/],
    [
      'an unknown template variable',
      { events: { 'backup.failed': { summaryTemplate: '{{devise}} failed' } } },
      'events.backup.failed.summaryTemplate',
      /unknown variable "devise"; known: company, device/,
    ],
    [
      'an unknown variable inside a section',
      { events: { 'backup.failed': { summaryTemplate: '{{#job}}{{device}}{{/job}}' } } },
      'events.backup.failed.summaryTemplate',
      /unknown variable "job"/,
    ],
    [
      'a template that does not parse',
      { events: { 'backup.failed': { summaryTemplate: '{{#errorCode}}x' } } },
      'events.backup.failed.summaryTemplate',
      /does not parse: Unclosed section "errorCode"/,
    ],
    [
      'an unclosed tag',
      { storm: { summaryTemplate: '{{company' } },
      'storm.summaryTemplate',
      /does not parse: Unclosed tag/,
    ],
    [
      'a partial',
      { events: { 'backup.failed': { summaryTemplate: '{{> header}}' } } },
      'events.backup.failed.summaryTemplate',
      /partials are not supported/,
    ],
    [
      'a delimiter change',
      { events: { 'backup.failed': { summaryTemplate: '{{=<% %>=}}<%device%>' } } },
      'events.backup.failed.summaryTemplate',
      /delimiters/,
    ],
    [
      'a template that renders empty',
      { events: { 'backup.failed': { summaryTemplate: '{{^device}}x{{/device}}  ' } } },
      'events.backup.failed.summaryTemplate',
      /renders an empty summary/,
    ],
    [
      'a bad policy',
      { conditions: { backup: { closedWhileFailing: 'ignore' } } },
      'conditions.backup.closedWhileFailing',
      /reopen, new, quiet/,
    ],
    [
      'zero successes to close',
      { conditions: { quota: { closeAfterSuccesses: 0 } } },
      'conditions.quota.closeAfterSuccesses',
      /from 1 to 100/,
    ],
    ['a storm of one device', { storm: { devices: 1 } }, 'storm.devices', /from 2 to 10000/],
    [
      'a company switch that is not boolean',
      { companies: { ACME: { ticketing: 'no' } } },
      'companies.ACME.ticketing',
      /true or false/,
    ],
    [
      'an empty company name',
      { companies: { ' ': { ticketing: false } } },
      'companies. ',
      /must not be empty/,
    ],
  ];

  it.each(cases)('refuses %s', (_title, input, path, message) => {
    const result = parseRulesOverride(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(result.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('accepts an empty override and a null-free partial one', () => {
    expect(parseRulesOverride({}).ok).toBe(true);
    expect(parseRulesOverride({ storm: { enabled: false } }).ok).toBe(true);
  });

  it('refuses a non-object', () => {
    expect(parseRulesOverride('strict').ok).toBe(false);
  });
});

describe('templates', () => {
  it('renders without HTML escaping', () => {
    expect(renderTemplate('{{company}} {{errorCode}} {{{company}}}', view)).toBe(
      'Smith & Sons <UK> E"1 Smith & Sons <UK>',
    );
  });

  it('leaves the global Mustache escaping alone', () => {
    renderTemplate('{{company}}', view);
    expect(Mustache.render('{{x}}', { x: '<b>' })).toBe('&lt;b&gt;');
  });

  it('renders sections only when the value is present', () => {
    const template =
      '{{device}}{{#errorCode}} – {{errorCode}}{{/errorCode}}{{#jobName}} ({{jobName}}){{/jobName}}';
    expect(renderTemplate(template, view)).toBe('FS01 – E"1');
  });
});

describe('companyTicketing', () => {
  const rules = resolveRules({
    companies: { 'Globex Corp': { ticketing: false }, ACME: { ticketing: true } },
  });

  it.each([
    ['Globex Corp', false],
    ['globex corp ', false],
    ['ACME', true],
    ['Initech', true],
  ] as const)('for %j is %s', (company, expected) => {
    expect(companyTicketing(rules, company)).toBe(expected);
  });
});
