/**
 * Persistence of the domain's incidents (table `incidents`): read a company's incidents for
 * `planStorm`, save what the domain returns, record why delivery is blocked.
 */
export { StoredIncidentError } from './errors.js';
export {
  listIncidents,
  loadCompanyIncidents,
  loadIncident,
  saveIncident,
  setIncidentBlocked,
  type IncidentWrite,
  type ListIncidentsOptions,
  type ReadOptions,
  type StoredIncident,
} from './incidents-store.js';
export type { IncidentsTable } from './tables.js';
