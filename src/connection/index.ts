/**
 * Settings › ConnectWise Manage: the API member's credentials (checked, then stored with the
 * private key encrypted), the permission check, and the service board tickets go to. See
 * README.md in this folder.
 */
export type {
  BoardSelection,
  BoardSelectionByName,
  BoardSettings,
  CheckStep,
  CheckStepName,
  ConnectionCheckReport,
  ConnectionDeps,
  ConnectionInput,
  ConnectionStatus,
  ConnectionView,
  ManageClientTuning,
  ManageCredentials,
  NamedRef,
  PermissionLine,
  PermissionReport,
  PriorityMap,
} from './types.js';
export type { FieldProblem, Problem } from './problem.js';
export {
  BoardSettingsRejectedError,
  ConnectionCheckFailedError,
  ConnectionNotConfiguredError,
  PrivateKeyRequiredError,
} from './errors.js';
export { maskKey } from './mask.js';

export type { ConnectionProblem, ConnectionProblemCode } from './failure.js';
export { CONNECTION_PROBLEM_CODES, problemOf } from './failure.js';
export type { CheckPermissionsOptions } from './permission-check.js';
export { checkPermissions } from './permission-check.js';
export type { CheckConnectionOptions } from './connection-check.js';
export { checkConnection } from './connection-check.js';

export {
  findConnection,
  getConnectionCredentials,
  recordConnectionCheck,
  setConnectionStatus,
} from './connection-store.js';
export type {
  ConnectionCallOptions,
  ConnectionUpdate,
  SaveConnectionResult,
} from './connection-service.js';
export {
  completeConnectionInput,
  recheckConnection,
  removeConnection,
  saveConnection,
  saveConnectionFromConfig,
} from './connection-service.js';
export type { OpenManageClientOptions } from './open-client.js';
export { INTERACTIVE_CLIENT_TUNING, openManageClient } from './open-client.js';

export type {
  BoardOptions,
  BoardSetup,
  BoardSummary,
  ChoiceOption,
  CombinationOption,
  PriorityOption,
} from './board-setup.js';
export {
  boardOptionsOf,
  listBoardSummaries,
  listPriorityOptions,
  loadBoardSetup,
} from './board-setup.js';
export type { BoardProblem, BoardProblemCode, BoardValidation } from './board-validation.js';
export { BOARD_PROBLEM_CODES, validateBoardSelection } from './board-validation.js';
export { getBoardSettings } from './board-settings-store.js';
export {
  checkBoardSettings,
  findBoardSetup,
  saveBoardSettings,
  saveBoardSettingsByName,
  selectionOf,
} from './board-settings.js';
