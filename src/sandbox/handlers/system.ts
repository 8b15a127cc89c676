/**
 * `/system/info` (§2.4), security roles and their per-module-function settings (§3.10), and
 * members. Role settings are derived from the role's levels, one row per module function.
 */
import type { ModuleFunctionKey } from '../../connectwise/permissions.js';
import { MODULE_FUNCTIONS } from '../../connectwise/permissions.js';
import { recordNotFound } from '../cw-errors.js';
import { unauthorized } from '../http/auth.js';
import { renderMember, renderSecurityRole } from '../render.js';
import type { SecurityRoleRecord } from '../state/records.js';
import type { Handler } from './context.js';
import { idOf, list, one, parentIdOf } from './context.js';

/**
 * The connectivity check clients use. With `behaviour.systemInfoNeedsRights`, a member whose
 * role grants no Inquire level anywhere gets 401 `UserNotAuthenticated`, as one report saw (§2.4).
 */
export const systemInfo: Handler = (ctx) => {
  const { state, member } = ctx;
  if (state.behaviour.systemInfoNeedsRights) {
    const keys = Object.keys(MODULE_FUNCTIONS) as ModuleFunctionKey[];
    if (keys.every((fn) => state.levelFor(member, fn, 'inquire') === 'None')) {
      throw unauthorized('UserNotAuthenticated');
    }
  }
  const t = state.tenant;
  return {
    status: 200,
    body: {
      version: `v${t.version}`,
      isCloud: t.isCloud,
      serverTimeZone: t.serverTimeZone,
      licenseBits: [
        { name: 'ServiceDesk', activeFlag: true },
        { name: 'Project', activeFlag: true },
      ],
      ...(t.isCloud ? { cloudRegion: t.cloudRegion } : {}),
      maxWorkFlowRecordsAllowed: 1000,
    },
  };
};

export const listSecurityRoles: Handler = (ctx) =>
  list(ctx, ctx.state.securityRoles, renderSecurityRole);

export const getSecurityRole: Handler = (ctx) =>
  one(
    ctx,
    ctx.state.securityRoles.get(idOf(ctx)),
    `Security Role ${idOf(ctx)} not found`,
    renderSecurityRole,
  );

/** One `SecurityRoleSetting` per module function, levels `None|My|All`. */
function settingsOf(role: SecurityRoleRecord): Record<string, unknown>[] {
  return (Object.keys(MODULE_FUNCTIONS) as ModuleFunctionKey[]).map((key, index) => {
    const fn = MODULE_FUNCTIONS[key];
    const levels = role.permissions[key];
    return {
      id: role.id * 100 + index + 1,
      addLevel: levels.add,
      editLevel: levels.edit,
      deleteLevel: levels.delete,
      inquireLevel: levels.inquire,
      moduleFunctionName: fn.name,
      moduleFunctionDescription: fn.where,
      myAllFlag: true,
      moduleFunctionIdentifier: fn.name.replaceAll(' ', '_'),
      reportFlag: false,
      restrictFlag: false,
      customFlag: false,
      moduleDescription: fn.module,
      moduleIdentifier: fn.module.replaceAll(' ', ''),
      moduleName: fn.module,
      sortOrder: index,
      _info: { lastUpdated: role._info.lastUpdated, updatedBy: role._info.updatedBy },
    };
  });
}

export const listSecurityRoleSettings: Handler = (ctx) => {
  const role = ctx.state.securityRoles.get(parentIdOf(ctx));
  if (!role) throw recordNotFound(`Security Role ${parentIdOf(ctx)} not found`);
  const rows = settingsOf(role) as ({ id: number } & Record<string, unknown>)[];
  return list(ctx, rows, (row) => row);
};

export const listMembers: Handler = (ctx) =>
  list(ctx, ctx.state.members, (m) => renderMember(m, ctx.hrefs));

export const getMember: Handler = (ctx) =>
  one(ctx, ctx.state.members.get(idOf(ctx)), `Member ${idOf(ctx)} not found`, (m) =>
    renderMember(m, ctx.hrefs),
  );
