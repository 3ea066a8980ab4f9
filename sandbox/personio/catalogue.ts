/**
 * The sandbox company's fixed structure: subcompanies, offices, departments with their
 * positions and teams, cost centers. Ids look like Personio's (six digits, not contiguous).
 */
import type { OrgUnit } from './model.js';

export const subcompanies: readonly OrgUnit[] = [
  { id: 7033, name: 'Acme Software GmbH' },
  { id: 7034, name: 'Acme France SAS' },
  { id: 7041, name: 'Acme Polska sp. z o.o.' },
  { id: 7052, name: 'Acme Yazılım A.Ş.' },
];

/** Each office belongs to one subcompany (by index into `subcompanies`). */
export const offices: readonly (OrgUnit & { subcompany: number })[] = [
  { id: 131014, name: 'Munich', subcompany: 0 },
  { id: 131015, name: 'Berlin', subcompany: 0 },
  { id: 131022, name: 'Hamburg', subcompany: 0 },
  { id: 131030, name: 'Düsseldorf', subcompany: 0 },
  { id: 131041, name: 'Paris', subcompany: 1 },
  { id: 131042, name: 'Madrid', subcompany: 0 },
  { id: 131057, name: 'Warszawa', subcompany: 2 },
  { id: 131063, name: 'İstanbul', subcompany: 3 },
  { id: 131070, name: 'Dublin', subcompany: 0 },
  { id: 131088, name: 'Remote', subcompany: 0 },
];

export interface DepartmentSpec extends OrgUnit {
  positions: readonly string[];
  teams: readonly OrgUnit[];
  /** Relative headcount. */
  weight: number;
}

export const departments: readonly DepartmentSpec[] = [
  {
    id: 281521,
    name: 'Engineering',
    weight: 30,
    positions: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'Engineering Manager',
      'SRE',
    ],
    teams: [
      { id: 59026, name: 'Platform' },
      { id: 59027, name: 'Payments' },
      { id: 59028, name: 'Mobile' },
    ],
  },
  {
    id: 281522,
    name: 'Sales',
    weight: 18,
    positions: ['Account Executive', 'Sales Development Representative', 'Head of Sales'],
    teams: [
      { id: 59031, name: 'DACH' },
      { id: 59032, name: 'EMEA' },
    ],
  },
  {
    id: 281523,
    name: 'Customer Support',
    weight: 14,
    positions: ['Support Specialist', 'Team Lead Support'],
    teams: [{ id: 59040, name: '1st Level' }],
  },
  {
    id: 281524,
    name: 'Marketing',
    weight: 8,
    positions: ['Online Marketing Specialist', 'Content Manager', 'Brand Designer'],
    teams: [],
  },
  { id: 281530, name: 'Finance', weight: 6, positions: ['Accountant', 'Controller', 'CFO'], teams: [] },
  {
    id: 281531,
    name: 'People & Culture',
    weight: 5,
    positions: ['HR Generalist', 'Recruiter', 'Head of People'],
    teams: [{ id: 59050, name: 'Talent Acquisition' }],
  },
  {
    id: 281540,
    name: 'Legal',
    weight: 2,
    positions: ['Legal Counsel', 'Datenschutzbeauftragte(r)'],
    teams: [],
  },
  {
    id: 281541,
    name: 'Product & Design',
    weight: 9,
    positions: ['Product Manager', 'UX Designer', 'Product Owner'],
    teams: [{ id: 59060, name: 'Discovery' }],
  },
  {
    id: 281550,
    name: 'Operations',
    weight: 8,
    positions: ['Office Manager', 'IT Administrator', 'Werkstudent(in)'],
    teams: [{ id: 59070, name: 'IT' }],
  },
];

export const costCenters: readonly OrgUnit[] = [
  { id: 82957, name: 'Cost center 1' },
  { id: 82958, name: 'CC-200 Vertrieb' },
  { id: 82960, name: 'CC-300 R&D' },
  { id: 82961, name: 'CC-310 Plattform' },
  { id: 82970, name: 'CC-400 Verwaltung' },
  { id: 82975, name: 'CC-500 Marketing' },
  { id: 82980, name: 'CC-900 Projekte' },
];

/** Split shares seen in real accounts. */
export const costCenterSplits: readonly (readonly number[])[] = [
  [60, 40],
  [50, 50],
  [70, 30],
  [50, 30, 20],
];

export const skillOptions: readonly string[] = [
  'English',
  'German',
  'French',
  'Spanish',
  'Kubernetes',
  'SAP',
  'Excel',
];
export const shirtSizes: readonly string[] = ['S', 'M', 'L', 'XL'];
