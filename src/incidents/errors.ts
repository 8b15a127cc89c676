/** Errors of incident persistence. */

/**
 * A stored incident's `data` is not an incident the domain can read (edited by hand, or written
 * by a newer version). Restore the row from a backup or delete it; the next event starts afresh.
 */
export class StoredIncidentError extends Error {
  override name = 'StoredIncidentError';
  readonly incidentKey: string;

  constructor(incidentKey: string) {
    super(
      `The stored incident ${incidentKey} is not readable (its data is not a schema-1 incident). ` +
        'Restore it from a backup, or delete the row so the next event starts the incident afresh.',
    );
    this.incidentKey = incidentKey;
  }
}
