/**
 * The ConnectWise Manage REST API 3.0 models that psabridge touches, as the API sends them.
 *
 * The client and the sandbox both import these types, so a field renamed here fails to compile in
 * both. Field lists follow the published spec (see `shared/reference/connectwise-models.md`);
 * only the fields the product reads or writes are declared, and every record may carry more.
 * ConnectWise omits null properties from responses, hence optional fields throughout.
 */

/** `_info` metadata every record carries: `lastUpdated`, `updatedBy`, `*_href` links, … */
export type Info = Readonly<Record<string, string>>;

/** A reference to another record: `{ id, name | identifier, _info }`. */
export interface Reference {
  id: number;
  name?: string;
  identifier?: string;
  _info?: Info;
}

/**
 * How a body refers to another record on write: by id, by name, or (companies) by identifier.
 * ConnectWise resolves whichever is given.
 */
export type ReferenceInput = { id: number } | { name: string } | { identifier: string };

export interface CompanyInfo {
  CompanyName: string;
  /** Always ends in `/`, e.g. `v2025_1/` or `v4_6_release/`. */
  Codebase: string;
  VersionCode: string;
  VersionNumber: string;
  CompanyID: string;
  /** A string, `"True"` or `"False"`, in ConnectWise's own sample. */
  IsCloud: string;
  SiteUrl?: string;
}

export interface SystemInfo {
  /** `v`-prefixed, e.g. `v2025.1.10431`. */
  version: string;
  isCloud?: boolean;
  serverTimeZone?: string;
  licenseBits?: { name: string; activeFlag: boolean }[];
  cloudRegion?: string;
}

export interface Company {
  id: number;
  identifier: string;
  name: string;
  status?: Reference;
  defaultContact?: Reference;
  deletedFlag?: boolean;
  dateDeleted?: string;
  deletedBy?: string;
  types?: Reference[];
  site?: Reference;
  phoneNumber?: string;
  city?: string;
  state?: string;
  integratorTags?: string[];
  _info?: Info;
}

export interface CompanyStatus {
  id: number;
  name: string;
  defaultFlag?: boolean;
  inactiveFlag?: boolean;
  disallowSavingFlag?: boolean;
  _info?: Info;
}

export interface CommunicationItem {
  id?: number;
  type?: Reference;
  value: string;
  defaultFlag?: boolean;
  /** `Email`, `Phone` or `Fax`. */
  communicationType?: string;
}

export interface Contact {
  id: number;
  firstName: string;
  lastName?: string;
  company?: Reference;
  inactiveFlag?: boolean;
  defaultFlag?: boolean;
  title?: string;
  communicationItems?: CommunicationItem[];
  _info?: Info;
}

export type Severity = 'Low' | 'Medium' | 'High';

export interface Ticket {
  id: number;
  summary: string;
  recordType?: 'ServiceTicket' | 'ProjectTicket' | 'ProjectIssue';
  board?: Reference;
  status?: Reference & { sort?: number };
  company?: Reference;
  contact?: Reference;
  contactName?: string;
  contactEmailAddress?: string;
  type?: Reference;
  subType?: Reference;
  item?: Reference;
  team?: Reference;
  owner?: Reference;
  priority?: Reference & { sort?: number; level?: string };
  severity?: Severity;
  impact?: Severity;
  externalXRef?: string;
  closedFlag?: boolean;
  closedDate?: string;
  closedBy?: string;
  parentTicketId?: number;
  mergedParentTicket?: { id: number; summary?: string; _info?: Info };
  hasMergedChildTicketFlag?: boolean;
  integratorTags?: string[];
  _info?: Info;
}

/** What a create sends: references by id, name or identifier; `initialDescription` is POST-only. */
export interface TicketCreate {
  summary: string;
  company: ReferenceInput;
  recordType?: 'ServiceTicket';
  board?: ReferenceInput;
  status?: ReferenceInput;
  contact?: ReferenceInput;
  type?: ReferenceInput;
  subType?: ReferenceInput;
  item?: ReferenceInput;
  team?: ReferenceInput;
  priority?: ReferenceInput;
  severity?: Severity;
  impact?: Severity;
  externalXRef?: string;
  initialDescription?: string;
  initialInternalAnalysis?: string;
  initialResolution?: string;
  processNotifications?: boolean;
  skipCallback?: boolean;
}

export interface ServiceNote {
  id: number;
  ticketId: number;
  text: string;
  detailDescriptionFlag?: boolean;
  internalAnalysisFlag?: boolean;
  resolutionFlag?: boolean;
  issueFlag?: boolean;
  internalFlag?: boolean;
  externalFlag?: boolean;
  member?: Reference;
  contact?: Reference;
  dateCreated?: string;
  createdBy?: string;
  _info?: Info;
}

export interface ServiceNoteCreate {
  text: string;
  detailDescriptionFlag?: boolean;
  internalAnalysisFlag?: boolean;
  resolutionFlag?: boolean;
  processNotifications?: boolean;
}

export interface ProjectTicket {
  id: number;
  summary: string;
  isIssueFlag?: boolean;
  project?: Reference;
  phase?: Reference;
  board?: Reference;
  status?: Reference;
  company?: Reference;
  closedFlag?: boolean;
  externalXRef?: string;
  _info?: Info;
}

export interface Board {
  id: number;
  name: string;
  location?: Reference;
  department?: Reference;
  inactiveFlag?: boolean;
  projectFlag?: boolean;
  _info?: Info;
}

export interface BoardStatus {
  id: number;
  name: string;
  board?: Reference;
  sortOrder?: number;
  displayOnBoard?: boolean;
  /** Note: `inactive`, not `inactiveFlag`, on this model only. */
  inactive?: boolean;
  closedStatus?: boolean;
  defaultFlag?: boolean;
  escalationStatus?: 'NotResponded' | 'Responded' | 'ResolutionPlan' | 'Resolved' | 'NoEscalation';
  _info?: Info;
}

export interface BoardType {
  id: number;
  name: string;
  category?: 'Reactive' | 'Proactive';
  defaultFlag?: boolean;
  inactiveFlag?: boolean;
  board?: Reference;
  _info?: Info;
}

export interface BoardSubType {
  id: number;
  name: string;
  inactiveFlag?: boolean;
  typeAssociationIds?: number[];
  board?: Reference;
  _info?: Info;
}

export interface BoardItem {
  id: number;
  name: string;
  inactiveFlag?: boolean;
  board?: Reference;
  _info?: Info;
}

export interface BoardTeam {
  id: number;
  name: string;
  teamLeader?: Reference;
  members?: number[];
  defaultFlag?: boolean;
  boardId?: number;
  _info?: Info;
}

export interface BoardTypeSubTypeItemAssociation {
  id: number;
  type?: Reference;
  subType?: Reference;
  item?: Reference;
  board?: Reference;
  _info?: Info;
}

export interface Priority {
  id: number;
  name: string;
  color?: string;
  sortOrder?: number;
  defaultFlag?: boolean;
  level?: string;
  _info?: Info;
}

export interface Count {
  count: number;
}

/** One JSON-Patch-like operation; a PATCH body is an array of these. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** One field-level error inside a validation failure. */
export interface ValidationErrorItem {
  code: string;
  message: string;
  resource?: string;
  field?: string;
  details?: string;
}

/** ConnectWise's error envelope: `{ code, message, errors }`. */
export interface ErrorBody {
  code: string;
  message: string;
  errors?: ValidationErrorItem[] | null;
}

/** The 429 body uses `error`, not `code` (Developer Guide, rate limiting). */
export interface RateLimitBody {
  error: string;
  message: string;
}

export type AccessLevel = 'None' | 'My' | 'All';

export interface SecurityRoleSetting {
  id: number;
  addLevel: AccessLevel;
  editLevel: AccessLevel;
  deleteLevel: AccessLevel;
  inquireLevel: AccessLevel;
  moduleIdentifier?: string;
  moduleName?: string;
  moduleFunctionIdentifier?: string;
  moduleFunctionName?: string;
  _info?: Info;
}
