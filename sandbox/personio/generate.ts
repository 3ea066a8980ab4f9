/**
 * Deterministic employee data: the same { count, seed, dirty } always yields the same records,
 * so tests can name employees by id. 100,000 employees take well under a second.
 *
 * Dates are relative to a fixed `asOf` instant (not the wall clock), which keeps the data
 * reproducible; mutations made later carry real `now()` timestamps, so `updated_since` can
 * tell them apart from generated data.
 */
import { customKeys } from './attributes.js';
import {
  costCenterSplits,
  costCenters,
  departments,
  offices,
  shirtSizes,
  skillOptions,
  subcompanies,
} from './catalogue.js';
import { DAY_MS, formatDate, formatDateTime } from './dates.js';
import type { CostCenterShare, EmployeeRecord, EmployeeStatus, OrgUnitValue } from './model.js';
import { emailLocalPart, nameLocales, type NamePart } from './names.js';
import { Random } from './prng.js';

export const FIRST_EMPLOYEE_ID = 1001;
export const DEFAULT_DOMAIN = 'acme.example.com';
/** Generated data is "as of" this instant. */
export const DEFAULT_AS_OF = '2025-06-30T10:00:00Z';

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Add the deliberately broken records listed in `dirtyCases`. */
  dirty?: boolean;
  domain?: string;
  asOf?: string;
}

export type DirtyKind =
  | 'missing-email'
  | 'empty-email'
  | 'invalid-email'
  | 'duplicate-email-case'
  | 'department-empty-string'
  | 'office-empty-array'
  | 'subcompany-empty-string-team-empty-array'
  | 'tags-json-string'
  | 'supervisor-cycle';

export interface DirtyCase {
  id: number;
  kind: DirtyKind;
  description: string;
}

/**
 * The broken records `dirty: true` produces, always at these ids (the first ids after two
 * clean ones), present when `count` reaches them (count ≥ 14 for all of them).
 */
export const dirtyCases: readonly DirtyCase[] = [
  { id: 1003, kind: 'missing-email', description: 'the email attribute is absent altogether' },
  { id: 1004, kind: 'empty-email', description: 'email is ""' },
  { id: 1005, kind: 'invalid-email', description: 'email is "not-an-email"' },
  { id: 1006, kind: 'invalid-email', description: 'email is "a@b"' },
  { id: 1007, kind: 'duplicate-email-case', description: 'same address as 1008, lower case' },
  { id: 1008, kind: 'duplicate-email-case', description: 'same address as 1007, Capitalised' },
  { id: 1009, kind: 'department-empty-string', description: 'department is "" instead of an object' },
  { id: 1010, kind: 'office-empty-array', description: 'office is [] instead of an object' },
  {
    id: 1011,
    kind: 'subcompany-empty-string-team-empty-array',
    description: 'subcompany is "" and team is []',
  },
  { id: 1012, kind: 'tags-json-string', description: `${customKeys.skills} (tags) is a JSON-encoded string` },
  { id: 1013, kind: 'supervisor-cycle', description: 'supervisor is 1014, whose supervisor is 1013' },
  { id: 1014, kind: 'supervisor-cycle', description: 'supervisor is 1013, whose supervisor is 1014' },
];

const statusWeights: readonly (readonly [EmployeeStatus, number])[] = [
  ['active', 86],
  ['onboarding', 3],
  ['leave', 4],
  ['inactive', 7],
];
const localeWeights = nameLocales.map((l) => [l, l.weight] as const);
const departmentWeights = departments.map((d) => [d, d.weight] as const);
const workingHours: readonly (readonly [number, number])[] = [
  [40, 70],
  [38.5, 8],
  [32, 10],
  [30, 6],
  [20, 6],
];

/** Calendar date of an instant, in UTC (good enough for local-midnight dates). */
function ymd(ms: number): [number, number, number] {
  const d = new Date(ms);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** "anna.mueller@x.com" → "Anna.Mueller@x.com": the domain stays as it was. */
function capitaliseLocalPart(email: string): string {
  const at = email.indexOf('@');
  const local = email
    .slice(0, at)
    .replace(/(^|[.-])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return local + email.slice(at);
}

/** Creates single employees; used for the bulk data and for `hire` (with its own seed). */
export class EmployeeFactory {
  private readonly usedEmails = new Set<string>();
  /** Next digit to try per local part, so 100k employees with common names stay linear. */
  private readonly nextSuffix = new Map<string, number>();
  private readonly asOfMs: number;

  constructor(
    private readonly rng: Random,
    private readonly domain = DEFAULT_DOMAIN,
    asOf = DEFAULT_AS_OF,
  ) {
    this.asOfMs = Date.parse(asOf);
  }

  /** Mark an address as taken (case-insensitively), e.g. one already in the store. */
  reserveEmail(email: string): void {
    this.usedEmails.add(email.toLowerCase());
  }

  /** first.last@domain, with a digit appended when the address is taken. */
  uniqueEmail(first: NamePart, last: NamePart): string {
    const base = `${emailLocalPart(first.latin) || 'employee'}.${emailLocalPart(last.latin) || 'employee'}`;
    let candidate = base;
    let n = this.nextSuffix.get(base) ?? 2;
    while (this.usedEmails.has(`${candidate}@${this.domain}`.toLowerCase())) candidate = `${base}${n++}`;
    this.nextSuffix.set(base, n);
    const email = `${candidate}@${this.domain}`;
    this.usedEmails.add(email.toLowerCase());
    return email;
  }

  /** A complete employee without a supervisor (the tree is built over the whole set). */
  make(id: number, asOfMs = this.asOfMs): EmployeeRecord {
    const r = this.rng;
    const locale = r.weighted(localeWeights);
    const gender = r.weighted([
      ['female', 48],
      ['male', 48],
      ['diverse', 4],
    ] as const);
    const firstPool = gender === 'diverse' ? r.pick([locale.female, locale.male]) : locale[gender];
    const first = r.pick(firstPool);
    const surname = r.pick(locale.surnames);
    let last = gender === 'male' ? surname.male : surname.female;
    if (r.chance(locale.doubleSurnameRate)) {
      const second = r.pick(locale.surnames).female;
      if (second.native !== last.native) {
        last = { native: `${last.native}-${second.native}`, latin: `${last.latin}-${second.latin}` };
      }
    }
    let email = this.uniqueEmail(first, last);
    // Some people typed their address with capitals; Personio keeps it as entered.
    if (r.chance(0.02)) email = capitaliseLocalPart(email);

    const status = r.weighted(statusWeights);
    const hireMs =
      status === 'onboarding' ? asOfMs + r.int(1, 90) * DAY_MS : asOfMs - r.int(30, 12 * 365) * DAY_MS;
    // A few legacy records carry Berlin's historical local mean time offset (+00:53).
    const hireDate = formatDate(...ymd(hireMs), r.chance(0.004) ? 53 : undefined);
    let terminationMs: number | null = null;
    if (status === 'inactive')
      terminationMs = hireMs + r.int(1, Math.max(1, (asOfMs - hireMs) / DAY_MS - 1)) * DAY_MS;
    else if (status === 'active' && r.chance(0.015)) terminationMs = asOfMs + r.int(10, 120) * DAY_MS;
    const createdMs = Math.min(hireMs, asOfMs) - r.int(1, 60) * DAY_MS - r.int(0, 86_399) * 1000;
    const modifiedFloor = Math.max(createdMs, Math.min(terminationMs ?? createdMs, asOfMs - DAY_MS));
    const modifiedMs = modifiedFloor + Math.floor(r.next() * (asOfMs - modifiedFloor));

    const department = r.weighted(departmentWeights);
    const office = r.pick(offices);
    const team = department.teams.length > 0 && r.chance(0.75) ? r.pick(department.teams) : null;

    return {
      id,
      firstName: first.native,
      lastName: last.native,
      email,
      gender,
      status,
      position: r.pick(department.positions),
      supervisorId: null,
      employmentType: r.chance(0.08) ? 'external' : 'internal',
      weeklyWorkingHours: r.weighted(workingHours),
      hireDate,
      terminationDate: terminationMs === null ? null : formatDate(...ymd(terminationMs)),
      createdAt: formatDateTime(createdMs),
      lastModifiedAt: formatDateTime(modifiedMs),
      subcompany: { ...(subcompanies[office.subcompany] ?? subcompanies[0]!) },
      office: { id: office.id, name: office.name },
      department: { id: department.id, name: department.name },
      team: team ? { ...team } : null,
      costCenters: this.costCenterShares(),
      custom: {
        [customKeys.personnelNumber]: `P-${String(id).padStart(6, '0')}`,
        [customKeys.title]: r.chance(0.04) ? r.pick(['Dr.', 'Dr.', 'Prof. Dr.']) : null,
        [customKeys.anniversary]:
          status === 'onboarding' ? null : formatDate(...ymd(hireMs + 5 * 365 * DAY_MS)),
        [customKeys.skills]: skillOptions.filter(() => r.chance(0.25)),
        [customKeys.shirtSize]: r.chance(0.8) ? r.pick(shirtSizes) : null,
      },
    };
  }

  private costCenterShares(): CostCenterShare[] {
    const r = this.rng;
    const roll = r.next();
    if (roll < 0.15) return [];
    const shares = roll < 0.85 ? [100] : r.pick(costCenterSplits);
    const start = r.int(0, costCenters.length - 1);
    return shares.map((percentage, i) => {
      const cc = costCenters[(start + i) % costCenters.length]!;
      return { id: cc.id, name: cc.name, percentage };
    });
  }
}

/**
 * Supervisors follow a seniority order independent of ids (managers are not always older
 * records): a few top managers, then everyone reports to someone earlier in that order,
 * so the tree has no cycles and every supervisor id exists.
 */
function assignSupervisors(employees: EmployeeRecord[], rng: Random): void {
  const order = employees.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const topCount = Math.min(employees.length, Math.max(3, Math.min(8, Math.round(employees.length / 5000))));
  const managers: EmployeeRecord[] = [];
  order.forEach((index, rank) => {
    const employee = employees[index]!;
    if (rank < topCount) {
      managers.push(employee);
      return;
    }
    employee.supervisorId = rng.pick(managers).id;
    if (rng.chance(0.12)) managers.push(employee);
  });
}

function applyDirtyCases(byId: Map<number, EmployeeRecord>): void {
  const get = (id: number) => byId.get(id);
  const missing = get(1003);
  if (missing) delete missing.email;
  const empty = get(1004);
  if (empty) empty.email = '';
  const notEmail = get(1005);
  if (notEmail) notEmail.email = 'not-an-email';
  const tooShort = get(1006);
  if (tooShort) tooShort.email = 'a@b';
  const lower = get(1007);
  const upper = get(1008);
  if (lower?.email && upper) {
    lower.email = lower.email.toLowerCase();
    upper.email = capitaliseLocalPart(lower.email);
  }
  const setOrg = (
    id: number,
    field: 'department' | 'office' | 'subcompany' | 'team',
    value: OrgUnitValue,
  ) => {
    const e = get(id);
    if (e) e[field] = value;
  };
  setOrg(1009, 'department', '');
  setOrg(1010, 'office', []);
  setOrg(1011, 'subcompany', '');
  setOrg(1011, 'team', []);
  const tags = get(1012);
  if (tags) tags.custom[customKeys.skills] = JSON.stringify(['English', 'SAP']);
  const a = get(1013);
  const b = get(1014);
  if (a && b) {
    a.supervisorId = b.id;
    b.supervisorId = a.id;
  }
}

export function generateEmployees(options: GenerateOptions): EmployeeRecord[] {
  const rng = new Random(options.seed);
  const factory = new EmployeeFactory(rng, options.domain, options.asOf);
  const employees: EmployeeRecord[] = [];
  for (let i = 0; i < options.count; i++) employees.push(factory.make(FIRST_EMPLOYEE_ID + i));
  assignSupervisors(employees, rng);
  if (options.dirty) applyDirtyCases(new Map(employees.map((e) => [e.id, e])));
  return employees;
}
