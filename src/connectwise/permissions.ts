/**
 * The security-role permissions psabridge needs in ConnectWise Manage, exactly as the
 * integration page lists them (System › Security Roles). The sandbox enforces these per module
 * function, and the bridge's permission check names each missing one with where to grant it.
 */

/** The four levels a security-role row carries, one per action. */
export type PermissionAction = 'add' | 'edit' | 'delete' | 'inquire';

/** A module function as a security role lists it: module › function. */
export interface ModuleFunction {
  /** Stable key used in fixtures and code. */
  readonly key: ModuleFunctionKey;
  readonly module: string;
  readonly name: string;
  /** Where an admin finds it in Manage, for fix-it messages. */
  readonly where: string;
}

export type ModuleFunctionKey =
  | 'companyMaintenance'
  | 'contacts'
  | 'projectTickets'
  | 'serviceTickets'
  | 'tableSetup'
  | 'securityRoles'
  | 'memberMaintenance';

export const MODULE_FUNCTIONS: Readonly<Record<ModuleFunctionKey, ModuleFunction>> = {
  companyMaintenance: {
    key: 'companyMaintenance',
    module: 'Companies',
    name: 'Company Maintenance',
    where: 'Companies › Company Maintenance',
  },
  contacts: {
    key: 'contacts',
    module: 'Companies',
    name: 'Contacts',
    where: 'Companies › Contacts',
  },
  projectTickets: {
    key: 'projectTickets',
    module: 'Project',
    name: 'Project Tickets',
    where: 'Project › Project Tickets',
  },
  serviceTickets: {
    key: 'serviceTickets',
    module: 'Service Desk',
    name: 'Service Tickets',
    where: 'Service Desk › Service Tickets',
  },
  tableSetup: {
    key: 'tableSetup',
    module: 'System',
    name: 'Table Setup',
    where: 'System › Table Setup (customize › Service / Service Board)',
  },
  securityRoles: {
    key: 'securityRoles',
    module: 'System',
    name: 'Security Roles',
    where: 'System › Security Roles',
  },
  memberMaintenance: {
    key: 'memberMaintenance',
    module: 'System',
    name: 'Member Maintenance',
    where: 'System › Member Maintenance',
  },
};

/** One permission the integration requires: a module function, an action, and the level "All". */
export interface RequiredPermission {
  readonly fn: ModuleFunctionKey;
  readonly action: PermissionAction;
  /** Human wording, e.g. "Service Desk › Service Tickets › Add Level: All". */
  readonly label: string;
}

function required(fn: ModuleFunctionKey, action: PermissionAction): RequiredPermission {
  const levelName = `${action[0]!.toUpperCase()}${action.slice(1)} Level`;
  return { fn, action, label: `${MODULE_FUNCTIONS[fn].where} › ${levelName}: All` };
}

/** Every permission the integration page lists, in its order. */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  required('companyMaintenance', 'inquire'),
  required('contacts', 'inquire'),
  required('projectTickets', 'inquire'),
  required('serviceTickets', 'add'),
  required('serviceTickets', 'edit'),
  required('serviceTickets', 'inquire'),
  required('tableSetup', 'inquire'),
];
