/**
 * The attributes the sandbox account exposes, in Personio's order, with the metadata
 * `GET /v1/company/employees/attributes` lists. A credential's scope is a subset of these keys.
 */
import { shirtSizes, skillOptions } from './catalogue.js';

export type AttributeType =
  'standard' | 'date' | 'integer' | 'decimal' | 'list' | 'link' | 'tags' | 'multiline';

export interface AttributeDefinition {
  key: string;
  label: string;
  type: AttributeType;
  /** Custom attributes often have none. */
  universalId: string | null;
  options: readonly string[];
}

/** Custom (`dynamic_<id>`) attribute keys, named for the generator and tests. */
export const customKeys = {
  personnelNumber: 'dynamic_21827',
  title: 'dynamic_24407',
  anniversary: 'dynamic_33400',
  skills: 'dynamic_51200',
  shirtSize: 'dynamic_51201',
} as const;

const standard = (key: string, label: string): AttributeDefinition => ({
  key,
  label,
  type: 'standard',
  universalId: key,
  options: [],
});
const date = (key: string, label: string): AttributeDefinition => ({ ...standard(key, label), type: 'date' });

export const attributeDefinitions: readonly AttributeDefinition[] = [
  { key: 'id', label: 'ID', type: 'integer', universalId: 'id', options: [] },
  standard('first_name', 'First name'),
  standard('last_name', 'Last name'),
  standard('email', 'Email'),
  { ...standard('gender', 'Gender'), options: ['male', 'female', 'diverse'] },
  { ...standard('status', 'Status'), options: ['active', 'onboarding', 'leave', 'inactive'] },
  standard('position', 'Position'),
  standard('supervisor', 'Supervisor'),
  { ...standard('employment_type', 'Employment type'), options: ['internal', 'external'] },
  standard('weekly_working_hours', 'Weekly hours'),
  date('hire_date', 'Hire date'),
  date('termination_date', 'Termination date'),
  date('created_at', 'created_at'),
  date('last_modified_at', 'Last modified'),
  standard('subcompany', 'Subcompany'),
  standard('office', 'Office'),
  standard('department', 'Department'),
  standard('team', 'Team'),
  standard('cost_centers', 'Cost center'),
  {
    key: customKeys.personnelNumber,
    label: 'Personalnummer',
    type: 'standard',
    universalId: null,
    options: [],
  },
  { key: customKeys.title, label: 'Titel', type: 'standard', universalId: null, options: [] },
  { key: customKeys.anniversary, label: 'Anniversary Date', type: 'date', universalId: null, options: [] },
  { key: customKeys.skills, label: 'Skills', type: 'tags', universalId: null, options: skillOptions },
  { key: customKeys.shirtSize, label: 'T-shirt size', type: 'list', universalId: null, options: shirtSizes },
];

export const allAttributeKeys: readonly string[] = attributeDefinitions.map((d) => d.key);
