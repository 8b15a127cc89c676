/**
 * One handler per endpoint of `ENDPOINTS`. The record type makes an endpoint added to the shared
 * definitions fail to compile here until the sandbox serves it, so client and sandbox cannot
 * drift.
 */
import type { EndpointName } from '../../connectwise/endpoints.js';
import * as boards from './boards.js';
import * as companies from './companies.js';
import type { Handler } from './context.js';
import * as projectTickets from './project-tickets.js';
import * as system from './system.js';
import * as tickets from './tickets.js';

export const HANDLERS: Readonly<Record<EndpointName, Handler>> = {
  systemInfo: system.systemInfo,
  listSecurityRoles: system.listSecurityRoles,
  getSecurityRole: system.getSecurityRole,
  listSecurityRoleSettings: system.listSecurityRoleSettings,
  listMembers: system.listMembers,
  getMember: system.getMember,

  listCompanies: companies.listCompanies,
  countCompanies: companies.countCompanies,
  getCompany: companies.getCompany,
  listCompanyStatuses: companies.listCompanyStatuses,
  listContacts: companies.listContacts,
  countContacts: companies.countContacts,
  getContact: companies.getContact,
  createContact: companies.createContact,

  listTickets: tickets.listTickets,
  countTickets: tickets.countTickets,
  searchTickets: tickets.searchTickets,
  getTicket: tickets.getTicket,
  createTicket: tickets.createTicket,
  patchTicket: tickets.patchTicket,
  replaceTicket: tickets.replaceTicket,
  deleteTicket: tickets.deleteTicket,
  listTicketNotes: tickets.listTicketNotes,
  countTicketNotes: tickets.countTicketNotes,
  getTicketNote: tickets.getTicketNote,
  createTicketNote: tickets.createTicketNote,

  listBoards: boards.listBoards,
  getBoard: boards.getBoard,
  listBoardStatuses: boards.listBoardStatuses,
  listBoardTypes: boards.listBoardTypes,
  listBoardSubTypes: boards.listBoardSubTypes,
  listBoardItems: boards.listBoardItems,
  listBoardTeams: boards.listBoardTeams,
  listBoardAssociations: boards.listBoardAssociations,
  listPriorities: boards.listPriorities,

  listProjectTickets: projectTickets.listProjectTickets,
  countProjectTickets: projectTickets.countProjectTickets,
  getProjectTicket: projectTickets.getProjectTicket,
};
