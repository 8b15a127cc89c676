/**
 * What the sandbox stores: each record in the shape its GET returns, minus the `*_href` links
 * (those depend on the tenant's current codebase and are added when a record is rendered). Keeping
 * the stored shape equal to the API shape means `conditions` evaluate on exactly the fields a
 * client sees, and a list renders only its page.
 */
import type { AccessLevel, Severity } from '../../connectwise/models.js';
import type { ModuleFunctionKey, PermissionAction } from '../../connectwise/permissions.js';

/** `_info` as stored; hrefs are added on the way out. */
export interface StoredInfo {
  lastUpdated: string;
  updatedBy: string;
  dateEntered?: string;
  enteredBy?: string;
}

export interface Ref {
  id: number;
  name?: string;
  identifier?: string;
}

export interface CompanyStatusRecord {
  id: number;
  name: string;
  defaultFlag: boolean;
  inactiveFlag: boolean;
  notifyFlag: boolean;
  disallowSavingFlag: boolean;
  notificationMessage?: string;
  customNoteFlag: boolean;
  cancelOpenTracksFlag: boolean;
  _info: StoredInfo;
}

export interface CompanyTypeRecord {
  id: number;
  name: string;
  defaultFlag: boolean;
  vendorFlag: boolean;
  serviceAlertFlag: boolean;
  _info: StoredInfo;
}

export interface CompanyRecord {
  id: number;
  identifier: string;
  name: string;
  status: Ref;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  zip?: string;
  phoneNumber?: string;
  website?: string;
  defaultContact?: Ref;
  leadFlag: boolean;
  unsubscribeFlag: boolean;
  deletedFlag: boolean;
  dateDeleted?: string;
  deletedBy?: string;
  mobileGuid: string;
  isVendorFlag: boolean;
  types: Ref[];
  _info: StoredInfo;
}

export interface CommunicationItemRecord {
  id: number;
  type: Ref;
  value: string;
  defaultFlag: boolean;
  communicationType: 'Email' | 'Phone' | 'Fax';
}

export interface ContactRecord {
  id: number;
  firstName: string;
  lastName?: string;
  company: Ref;
  inactiveFlag: boolean;
  title?: string;
  marriedFlag: boolean;
  childrenFlag: boolean;
  disablePortalLoginFlag: boolean;
  unsubscribeFlag: boolean;
  mobileGuid: string;
  defaultBillingFlag: boolean;
  defaultFlag: boolean;
  communicationItems: CommunicationItemRecord[];
  types: Ref[];
  ignoreDuplicates: boolean;
  _info: StoredInfo;
}

export interface BoardRecord {
  id: number;
  name: string;
  location: Ref;
  department: Ref;
  inactiveFlag: boolean;
  projectFlag: boolean;
  sendToContactFlag: boolean;
  sendToResourceFlag: boolean;
  autoAssignNewTicketsFlag: boolean;
  closedLoopDiscussionsFlag: boolean;
  _info: StoredInfo;
}

export interface BoardStatusRecord {
  id: number;
  name: string;
  board: Ref;
  sortOrder: number;
  displayOnBoard: boolean;
  inactive: boolean;
  closedStatus: boolean;
  timeEntryNotAllowed: boolean;
  roundRobinCatchall: boolean;
  defaultFlag: boolean;
  escalationStatus: string;
  customerPortalFlag: boolean;
  saveTimeAsNote: boolean;
  _info: StoredInfo;
}

export interface BoardTypeRecord {
  id: number;
  name: string;
  category: 'Reactive' | 'Proactive';
  defaultFlag: boolean;
  inactiveFlag: boolean;
  requestForChangeFlag: boolean;
  board: Ref;
  _info: StoredInfo;
}

export interface BoardSubTypeRecord {
  id: number;
  name: string;
  inactiveFlag: boolean;
  typeAssociationIds: number[];
  addAllTypesFlag: boolean;
  removeAllTypesFlag: boolean;
  board: Ref;
  _info: StoredInfo;
}

export interface BoardItemRecord {
  id: number;
  name: string;
  inactiveFlag: boolean;
  board: Ref;
  _info: StoredInfo;
}

export interface BoardTeamRecord {
  id: number;
  name: string;
  teamLeader?: Ref;
  members: number[];
  defaultFlag: boolean;
  notifyOnTicketDelete: boolean;
  defaultRoundRobinFlag: boolean;
  roundRobinFlag: boolean;
  boardId: number;
  locationId: number;
  businessUnitId: number;
  _info: StoredInfo;
}

export interface BoardAssociationRecord {
  id: number;
  type: Ref;
  subType?: Ref;
  item?: Ref;
  board: Ref;
  _info: StoredInfo;
}

export interface PriorityRecord {
  id: number;
  name: string;
  color: string;
  sortOrder: number;
  defaultFlag: boolean;
  level?: string;
  _info: StoredInfo;
}

export interface CustomFieldRecord {
  id: number;
  caption?: string;
  type?: string;
  entryMethod?: string;
  numberOfDecimals?: number;
  value?: unknown;
  connectWiseId?: string;
}

export interface TicketRecord {
  id: number;
  summary: string;
  recordType: 'ServiceTicket';
  board: Ref;
  status: Ref & { sort?: number };
  company: Ref;
  siteName?: string;
  contact?: Ref;
  contactName?: string;
  contactPhoneNumber?: string;
  contactEmailAddress?: string;
  type?: Ref;
  subType?: Ref;
  item?: Ref;
  team?: Ref;
  owner?: Ref;
  priority?: Ref & { sort?: number; level?: string };
  requiredDate?: string;
  estimatedStartDate?: string;
  budgetHours?: number;
  severity: Severity;
  impact: Severity;
  externalXRef?: string;
  poNumber?: string;
  allowAllClientsPortalView: boolean;
  customerUpdatedFlag: boolean;
  automaticEmailContactFlag: boolean;
  automaticEmailResourceFlag: boolean;
  automaticEmailCcFlag: boolean;
  automaticEmailCc?: string;
  closedDate?: string;
  closedBy?: string;
  closedFlag: boolean;
  approved: boolean;
  resources?: string;
  parentTicketId?: number;
  hasChildTicket: boolean;
  hasMergedChildTicketFlag: boolean;
  mergedParentTicket?: { id: number; summary?: string };
  mobileGuid: string;
  integratorTags?: string[];
  customFields?: CustomFieldRecord[];
  _info: StoredInfo;
}

export interface NoteRecord {
  id: number;
  ticketId: number;
  text: string;
  detailDescriptionFlag: boolean;
  internalAnalysisFlag: boolean;
  resolutionFlag: boolean;
  issueFlag: boolean;
  member?: Ref;
  contact?: Ref;
  customerUpdatedFlag: boolean;
  dateCreated: string;
  createdBy: string;
  internalFlag: boolean;
  externalFlag: boolean;
  _info: StoredInfo;
}

export interface ProjectTicketRecord {
  id: number;
  summary: string;
  isIssueFlag: boolean;
  board: Ref;
  status: Ref;
  project: Ref;
  phase: Ref;
  company: Ref;
  closedFlag: boolean;
  externalXRef?: string;
  mobileGuid: string;
  _info: StoredInfo;
}

export type RoleLevels = Record<PermissionAction, AccessLevel>;

export interface SecurityRoleRecord {
  id: number;
  name: string;
  roleType?: string;
  adminFlag: boolean;
  inactiveFlag: boolean;
  /** Every module function, every action: missing ones are `None`. */
  permissions: Record<ModuleFunctionKey, RoleLevels>;
  _info: StoredInfo;
}

export interface ApiKeyRecord {
  publicKey: string;
  privateKey: string;
  description?: string;
  memberId: number;
}

export interface MemberRecord {
  id: number;
  identifier: string;
  firstName?: string;
  lastName?: string;
  name: string;
  licenseClass: 'F' | 'A' | 'C' | 'X';
  inactiveFlag: boolean;
  defaultEmail?: string;
  securityRole: Ref;
  serviceDefaultBoard?: Ref;
  _info: StoredInfo;
}
