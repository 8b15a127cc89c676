/**
 * The configuration file's format (documented with a full example in README.md): everything the
 * console sets up, declared as JSON. Secrets are never in the file: it names the environment
 * variables that hold them (`privateKeyEnv`, `passwordEnv`, `tokenEnv`).
 */
import { z } from 'zod';

/** The name of an environment variable: letters, digits and `_`, not starting with a digit. */
const envName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be the NAME of an environment variable (letters, digits, _), not its value',
  );

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const connectwise = z.strictObject({
  site: text(200).describe('As typed on the sign-in screen: na.myconnectwise.net, …'),
  companyId: text(100),
  publicKey: text(100),
  privateKeyEnv: envName,
});

const board = z.strictObject({
  board: text(50),
  type: text(50),
  subtype: text(50).nullish(),
  item: text(50).nullish(),
  newStatus: text(50),
  closedStatus: text(50),
  team: text(30).nullish(),
  priorities: z.strictObject({
    critical: text(100),
    high: text(100),
    medium: text(100),
    low: text(100),
  }),
});

const company = z
  .strictObject({
    name: text(100),
    ticketing: z.boolean().default(true),
    cwCompanyId: z.number().int().positive().optional(),
    cwIdentifier: text(30).optional(),
  })
  .refine((c) => c.cwCompanyId === undefined || c.cwIdentifier === undefined, {
    error: 'give cwCompanyId or cwIdentifier, not both',
    path: ['cwIdentifier'],
  });

/** The configuration file, as validated. */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  account: z.strictObject({ name: text(200) }),
  admin: z
    .strictObject({
      email: z.email().max(320),
      displayName: text(200).default('Administrator'),
      passwordEnv: envName,
    })
    .optional(),
  connectwise: connectwise.optional(),
  board: board.optional(),
  /** An override of the incident rules; validated by the rules themselves when applied. */
  rules: z.record(z.string(), z.unknown()).optional(),
  companies: z
    .array(company)
    .max(50_000)
    .superRefine((companies, ctx) => {
      const seen = new Set<string>();
      companies.forEach((c, index) => {
        if (seen.has(c.name)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${c.name}" is declared twice`,
            path: [index, 'name'],
          });
        }
        seen.add(c.name);
      });
    })
    .optional(),
  ingestToken: z
    .strictObject({
      name: text(200).default('config'),
      tokenEnv: envName,
    })
    .optional(),
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type ConfigFileCompany = ConfigFile extends { companies?: (infer C)[] } ? C : never;
