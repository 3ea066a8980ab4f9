// Builders for raw Personio v1 employee records, shaped as the API sends them.

export function wrap(universalId: string | null, value: unknown, type = 'standard') {
  return { label: universalId ?? 'Custom', value, type, universal_id: universalId };
}

export function orgUnit(type: string, id: number, name: string) {
  return { type, attributes: { id, name } };
}

/** A complete, valid record; `overrides` replaces attribute values (undefined removes one). */
export function rawEmployee(overrides: Record<string, unknown> = {}) {
  const values: Record<string, unknown> = {
    id: 1001,
    first_name: 'Anna',
    last_name: 'Schmidt',
    email: 'Anna.Schmidt@Example.com',
    status: 'active',
    position: 'Engineer',
    supervisor: {
      type: 'Employee',
      attributes: { id: wrap('id', 7, 'integer'), first_name: wrap('first_name', 'Bo') },
    },
    employment_type: 'internal',
    subcompany: orgUnit('Subcompany', 7033, 'CS Demo GmbH'),
    office: orgUnit('Office', 131014, 'Munich'),
    department: orgUnit('Department', 281521, 'Customer Support'),
    team: orgUnit('Team', 59026, 'T_X'),
    cost_centers: [{ type: 'CostCenter', attributes: { id: 82957, name: 'Cost center 1', percentage: 100 } }],
    hire_date: '2014-11-09T00:00:00+01:00',
    termination_date: null,
    last_modified_at: '2020-11-18T17:33:55+01:00',
    ...overrides,
  };
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    attributes[key] = key.startsWith('dynamic_')
      ? value
      : wrap(key, value, key === 'id' ? 'integer' : 'standard');
  }
  return { type: 'Employee', attributes };
}
