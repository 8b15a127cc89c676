/**
 * Companies over HTTP: registration (one or in bulk), readiness (filtered, paged), the
 * ticketing switch and mapping, and the ConnectWise company sync. Every query is scoped by the
 * caller's account; readiness reads the bridge's synced rows, never ConnectWise.
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  ManageApiError,
  ManageAuthenticationError,
  ManagePermissionError,
  type ManageEventListener,
} from '../../connectwise/client/index.js';
import {
  changeCompanySettings,
  CompanyMappingError,
  CompanyNameError,
  CompanyNotFoundError,
  CompanySyncError,
  getConsoleCompanyByName,
  loadCompanyDirectory,
  assessCompany,
  listReadiness,
  registerCompanies,
  registerCompany,
  syncCompanies,
  type CompanyReadiness,
  type CompanySyncState,
} from '../../companies/index.js';
import {
  ConnectionNotConfiguredError,
  INTERACTIVE_CLIENT_TUNING,
  openManageClient,
  type ConnectionDeps,
} from '../../connection/index.js';
import { SecretDecryptError } from '../../secrets/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import type { ResolvedApiDeps, RouteModule } from '../app-types.js';
import {
  getCompanyReadiness,
  listCompanyReadiness,
  patchCompany,
  putCompanies,
  putCompany,
  syncCompaniesNow,
  type CompanyReadinessView,
} from '../contract/companies.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

/** Connection dependencies of request handlers: short, interactive ConnectWise timeouts. */
export function connectionDepsOf(deps: ResolvedApiDeps): ConnectionDeps {
  return {
    db: deps.storage.db,
    secretBox: deps.secretBox,
    config: deps.config,
    now: deps.now,
    manage: INTERACTIVE_CLIENT_TUNING,
  };
}

/** Logs the ConnectWise client's events (they carry no key) at debug level. */
export function connectWiseEvents(log: FastifyBaseLogger): ManageEventListener {
  return (event) => log.debug({ connectwise: event }, 'connectwise call');
}

export const companyRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listCompanyReadiness, async ({ auth, query }) => {
    try {
      const page = await listReadiness(db, auth.accountId, {
        ...(query.search === undefined ? {} : { search: query.search }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.mapping === undefined ? {} : { mapping: query.mapping }),
        ...(query.problem === undefined ? {} : { problem: query.problem }),
        ...(query.ticketing === undefined ? {} : { ticketing: query.ticketing }),
        limit: query.limit,
        offset: query.offset,
      });
      return {
        companies: page.companies.map(companyReadinessView),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
        summary: page.summary,
        sync: page.directory.sync ? syncStateView(page.directory.sync) : null,
      };
    } catch (error) {
      throw companiesApiError(error);
    }
  });

  route(app, getCompanyReadiness, async ({ auth, params }) => {
    const company = await getConsoleCompanyByName(db, auth.accountId, params.name);
    if (!company) throw companiesApiError(new CompanyNotFoundError(params.name));
    return companyReadinessView(
      assessCompany(company, await loadCompanyDirectory(db, auth.accountId)),
    );
  });

  route(app, putCompany, async ({ auth, params, body }) => {
    try {
      const { readiness } = await registerCompany(
        db,
        auth.accountId,
        params.name,
        'api',
        {
          ...(body?.ticketingEnabled === undefined
            ? {}
            : { ticketingEnabled: body.ticketingEnabled }),
          ...(body?.cwCompanyId === undefined ? {} : { cwCompanyId: body.cwCompanyId }),
        },
        deps.now(),
      );
      return companyReadinessView(readiness);
    } catch (error) {
      throw companiesApiError(error);
    }
  });

  route(app, putCompanies, async ({ auth, body }) => {
    try {
      const names = [...new Set(body)];
      return await inTransaction(db, async (trx) => {
        const before = await trx
          .selectFrom('companies')
          .select('name')
          .where('account_id', '=', auth.accountId)
          .execute();
        const known = new Set(before.map((row) => row.name));
        const ids = await registerCompanies(trx, auth.accountId, names, 'api', deps.now());
        const created = names.filter((name) => !known.has(name)).length;
        return {
          created,
          existing: names.length - created,
          companies: names.map((name) => ({ id: ids.get(name) ?? '', name })),
        };
      });
    } catch (error) {
      throw companiesApiError(error);
    }
  });

  route(app, patchCompany, async ({ auth, params, body }) => {
    try {
      const readiness = await changeCompanySettings(
        db,
        auth.accountId,
        params.name,
        {
          ...(body.ticketingEnabled === undefined
            ? {}
            : { ticketingEnabled: body.ticketingEnabled }),
          ...(body.cwCompanyId === undefined ? {} : { cwCompanyId: body.cwCompanyId }),
          ...(body.acceptSuggestion === undefined
            ? {}
            : { acceptSuggestion: body.acceptSuggestion }),
          ...(body.clearMapping === undefined ? {} : { clearMapping: body.clearMapping }),
        },
        deps.now(),
      );
      return companyReadinessView(readiness);
    } catch (error) {
      throw companiesApiError(error);
    }
  });

  route(app, syncCompaniesNow, async ({ auth, request }) => {
    try {
      const client = await openManageClient(connectionDepsOf(deps), auth.accountId, {
        onEvent: connectWiseEvents(request.log),
      });
      const result = await syncCompanies({ db, client, now: deps.now }, auth.accountId);
      request.log.info(
        { accountId: auth.accountId, companies: result.companies, durationMs: result.durationMs },
        'ConnectWise companies synced',
      );
      return result;
    } catch (error) {
      throw companiesApiError(error);
    }
  });
};

/** A readiness as the API shows it. */
export function companyReadinessView(readiness: CompanyReadiness): CompanyReadinessView {
  const { company, cwCompany } = readiness;
  return {
    id: company.id,
    name: company.name,
    registeredBy: company.registeredBy,
    ticketingEnabled: company.ticketingEnabled,
    mapping: {
      state: readiness.mapping.state,
      source: company.mappingSource,
      cwCompanyId: readiness.mapping.cwCompanyId,
    },
    cwCompany: cwCompany && {
      id: cwCompany.id,
      identifier: cwCompany.identifier,
      name: cwCompany.name,
      status: cwCompany.statusName,
      active: !cwCompany.inactive && !cwCompany.savingDisallowed,
      deleted: cwCompany.deletedFlag,
      contact: cwCompany.contact,
      contactCount: cwCompany.contactCount,
    },
    suggestions: readiness.suggestions.map((s) => ({ ...s })),
    suggestionsAmbiguous: readiness.suggestionsAmbiguous,
    deletedTwins: readiness.deletedTwins.map((twin) => ({
      cwCompanyId: twin.id,
      identifier: twin.identifier,
      name: twin.name,
    })),
    ready: readiness.ready,
    problems: readiness.problems.map((p) => ({ code: p.code, message: p.message, fix: p.fix })),
    createdAt: company.createdAt,
    updatedAt: company.updatedAt,
  };
}

function syncStateView(state: CompanySyncState): CompanySyncState {
  return { ...state };
}

/**
 * The API answer for what the companies part, the connection part or the ConnectWise client
 * threw; errors it does not know are passed on (an internal error).
 */
export function companiesApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof CompanyNotFoundError) {
    return new ApiError('not_found', error.message, { cause: error });
  }
  if (error instanceof CompanyNameError) {
    return new ApiError('validation_failed', error.message, {
      errors: [{ path: 'name', message: error.message }],
      cause: error,
    });
  }
  if (error instanceof CompanyMappingError) {
    return new ApiError('validation_failed', error.message, {
      errors: [{ path: error.field, message: error.message }],
      cause: error,
    });
  }
  const cause = error instanceof CompanySyncError ? error.cause : error;
  const message = error instanceof Error ? error.message : String(error);
  if (cause instanceof ConnectionNotConfiguredError || cause instanceof SecretDecryptError) {
    return new ApiError('conflict', cause.message, { cause: error });
  }
  if (cause instanceof ManageAuthenticationError || cause instanceof ManagePermissionError) {
    return new ApiError(
      'conflict',
      `${message} Check the connection in Settings › ConnectWise Manage (keys revoked, API member deactivated, or a permission removed from its security role).`,
      { cause: error },
    );
  }
  if (cause instanceof ManageApiError) {
    return new ApiError('unavailable', message, { cause: error });
  }
  return error;
}
