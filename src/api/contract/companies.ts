/**
 * Companies: the console's companies, their mapping to ConnectWise, and their readiness (what
 * stops tickets for each, with the fix). Company names are path parameters, URI-encoded.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

/** Longest console company name (the ingestion contract's limit). */
export const COMPANY_NAME_MAX = 100;
/** Most names one bulk registration takes. */
export const COMPANY_BULK_MAX = 5000;

const CompanyNameSchema = z
  .string()
  .trim()
  .min(1, 'give the console company name')
  .max(COMPANY_NAME_MAX, `use at most ${COMPANY_NAME_MAX} characters`);

export const CompanyNameParamsSchema = z.object({ name: CompanyNameSchema });

const CwCompanyIdSchema = z.number().int().positive();

export const CompanyProblemSchema = z.object({
  code: z
    .string()
    .describe(
      'Stable: `not_synced`, `unmatched`, `ambiguous`, `mapped_company_missing`, `deleted`, `inactive`, `saving_disallowed`, `no_contact`, `ticketing_disabled`',
    ),
  message: z.string(),
  fix: z.string().describe('What to do about it'),
});

export const MappingStateSchema = z
  .enum(['exact', 'manual', 'suggestion', 'unmatched', 'ambiguous', 'missing', 'not_synced'])
  .describe(
    '`exact`: the ConnectWise Company ID equals the name; `manual`: mapped by hand; `suggestion`: a confirmed suggestion; otherwise why there is no match',
  );

export const CompanySuggestionSchema = z.object({
  cwCompanyId: z.number().int(),
  identifier: z.string().describe('The ConnectWise Company ID'),
  name: z.string(),
  reason: z.string().describe('`identifier-ignoring-case`, `name-normalized`, `similar-name`, …'),
  score: z.number().describe('0–1; higher is closer'),
});

export const CwCompanyRefSchema = z.object({
  cwCompanyId: z.number().int(),
  identifier: z.string(),
  name: z.string(),
});

export const CompanyReadinessSchema = z.object({
  id: z.string(),
  name: z.string(),
  registeredBy: z.enum(['api', 'event', 'config']),
  ticketingEnabled: z.boolean(),
  mapping: z.object({
    state: MappingStateSchema,
    source: z.enum(['auto', 'manual', 'suggestion']),
    cwCompanyId: z.number().int().nullable(),
  }),
  cwCompany: z
    .object({
      id: z.number().int(),
      identifier: z.string(),
      name: z.string(),
      status: z.string().nullable(),
      active: z.boolean().describe('Neither inactive nor on a status that disallows saving'),
      deleted: z.boolean(),
      contact: z
        .object({ id: z.number().int(), name: z.string() })
        .nullable()
        .describe('The contact tickets will name: the default contact, else the first active one'),
      contactCount: z.number().int(),
    })
    .nullable()
    .describe('The ConnectWise company tickets go to; null when unmatched'),
  suggestions: z.array(CompanySuggestionSchema).describe('Never applied without an admin'),
  suggestionsAmbiguous: z.boolean().describe('The best suggestions are equally good'),
  deletedTwins: z
    .array(CwCompanyRefSchema)
    .describe('Soft-deleted companies with the same Company ID'),
  ready: z.boolean().describe('A ticket could be made now'),
  problems: z.array(CompanyProblemSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type CompanyReadinessView = z.infer<typeof CompanyReadinessSchema>;

export const CompanySyncStateSchema = z.object({
  state: z.enum(['running', 'ok', 'failed']),
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema.nullable(),
  lastOkAt: TimestampSchema.nullable(),
  companies: z.number().int(),
  contacts: z.number().int(),
  lastError: z.string().nullable(),
});

const flagText = z.enum(['on', 'off']).transform((value) => value === 'on');

export const ListCompaniesQuerySchema = z.object({
  search: z.string().max(COMPANY_NAME_MAX).optional().describe('Part of the name, any case'),
  status: z.enum(['ready', 'problems']).optional(),
  mapping: MappingStateSchema.optional(),
  problem: z.string().max(64).optional().describe('Only companies with this problem code'),
  ticketing: flagText.optional().describe('`on` or `off`'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CompanyListSchema = z.object({
  companies: z.array(CompanyReadinessSchema),
  total: z.number().int().describe('Companies matching the filter, over all pages'),
  limit: z.number().int(),
  offset: z.number().int(),
  summary: z.object({
    companies: z.number().int(),
    ready: z.number().int(),
    problems: z.number().int(),
  }),
  sync: CompanySyncStateSchema.nullable().describe('The last company sync; null before the first'),
});

export const RegisterCompanySchema = z
  .object({
    ticketingEnabled: z.boolean().optional(),
    cwCompanyId: CwCompanyIdSchema.optional().describe('Map by hand to this ConnectWise company'),
  })
  .nullish()
  .describe('Optional: without a body the company is registered with ticketing on');

export const RegisterCompaniesSchema = z
  .array(CompanyNameSchema)
  .min(1, 'give at least one name')
  .max(COMPANY_BULK_MAX, `give at most ${COMPANY_BULK_MAX} names per request`);

export const RegisteredCompaniesSchema = z.object({
  created: z.number().int().describe('Names that were new'),
  existing: z.number().int().describe('Names already registered (left as they were)'),
  companies: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const UpdateCompanySchema = z
  .object({
    ticketingEnabled: z.boolean().optional(),
    cwCompanyId: CwCompanyIdSchema.optional().describe(
      'Map by hand; checked against the synced companies',
    ),
    acceptSuggestion: CwCompanyIdSchema.optional().describe('Confirm one of the suggestions'),
    clearMapping: z.literal(true).optional().describe('Back to the exact Company ID rule'),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    error: 'give at least one of ticketingEnabled, cwCompanyId, acceptSuggestion, clearMapping',
  });

export const CompanySyncResultSchema = z.object({
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema,
  companies: z.number().int(),
  contacts: z.number().int(),
  statuses: z.number().int(),
  removed: z.number().int().describe('Companies ConnectWise no longer lists'),
  mappingsChanged: z.number().int(),
  durationMs: z.number().int(),
});

/** Readiness of the account's companies, filtered and paged by name. */
export const listCompanyReadiness = defineEndpoint({
  method: 'GET',
  path: '/api/v1/companies',
  summary: 'List companies with their mapping and readiness',
  tags: ['companies'],
  access: 'viewer',
  query: ListCompaniesQuerySchema,
  status: 200,
  response: CompanyListSchema,
});

export const getCompanyReadiness = defineEndpoint({
  method: 'GET',
  path: '/api/v1/companies/:name',
  summary: 'One company with its mapping and readiness',
  tags: ['companies'],
  access: 'viewer',
  params: CompanyNameParamsSchema,
  status: 200,
  response: CompanyReadinessSchema,
});

/** Registers a console company (idempotent) and applies the optional settings. */
export const putCompany = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/companies/:name',
  summary: 'Register a company',
  tags: ['companies'],
  access: 'admin',
  params: CompanyNameParamsSchema,
  body: RegisterCompanySchema,
  status: 200,
  response: CompanyReadinessSchema,
});

/** Registers many console companies at once; names already known are left as they are. */
export const putCompanies = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/companies',
  summary: 'Register companies in bulk',
  tags: ['companies'],
  access: 'admin',
  body: RegisterCompaniesSchema,
  status: 200,
  response: RegisteredCompaniesSchema,
});

/** Changes the ticketing switch or the mapping; a mapping is checked against the synced companies. */
export const patchCompany = defineEndpoint({
  method: 'PATCH',
  path: '/api/v1/companies/:name',
  summary: 'Change a company',
  tags: ['companies'],
  access: 'admin',
  params: CompanyNameParamsSchema,
  body: UpdateCompanySchema,
  status: 200,
  response: CompanyReadinessSchema,
});

/** Copies the ConnectWise companies, statuses and contacts now. */
export const syncCompaniesNow = defineEndpoint({
  method: 'POST',
  path: '/api/v1/companies/sync',
  summary: 'Sync companies from ConnectWise',
  tags: ['companies'],
  access: 'admin',
  status: 200,
  response: CompanySyncResultSchema,
});
