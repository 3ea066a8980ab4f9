/**
 * Names behind the ids v2 employments carry: org units (departments, teams), legal entities
 * (v1 subcompanies), workplaces (v1 offices) and cost centers. The catalogue's fixed structure
 * plus whatever the records hold (departments created on the fly by mutations), rebuilt when
 * the store changes.
 */
import { costCenters, departments, offices, subcompanies } from './catalogue.js';
import { isOrgUnit, type OrgUnit } from './model.js';
import type { EmployeeStore } from './store.js';

export interface Lookups {
  departments: Map<number, OrgUnit>;
  teams: Map<number, OrgUnit & { departmentId: number | null }>;
  legalEntities: Map<number, OrgUnit>;
  workplaces: Map<number, OrgUnit>;
  costCenters: Map<number, OrgUnit>;
}

export function lookupsOf(store: EmployeeStore): () => Lookups {
  let version = -1;
  let cached: Lookups | undefined;
  return () => {
    if (cached && version === store.version) return cached;
    const l: Lookups = {
      departments: new Map(departments.map((d) => [d.id, { id: d.id, name: d.name }])),
      teams: new Map(
        departments.flatMap((d) => d.teams.map((t) => [t.id, { ...t, departmentId: d.id }] as const)),
      ),
      legalEntities: new Map(subcompanies.map((s) => [s.id, s])),
      workplaces: new Map(offices.map((o) => [o.id, { id: o.id, name: o.name }])),
      costCenters: new Map(costCenters.map((c) => [c.id, c])),
    };
    for (const e of store.all()) {
      if (isOrgUnit(e.department) && !l.departments.has(e.department.id))
        l.departments.set(e.department.id, e.department);
      if (isOrgUnit(e.team) && !l.teams.has(e.team.id))
        l.teams.set(e.team.id, { ...e.team, departmentId: null });
      if (isOrgUnit(e.subcompany) && !l.legalEntities.has(e.subcompany.id))
        l.legalEntities.set(e.subcompany.id, e.subcompany);
      if (isOrgUnit(e.office) && !l.workplaces.has(e.office.id)) l.workplaces.set(e.office.id, e.office);
      for (const cc of e.costCenters)
        if (!l.costCenters.has(cc.id)) l.costCenters.set(cc.id, { id: cc.id, name: cc.name });
    }
    cached = l;
    version = store.version;
    return l;
  };
}
