import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { primaryCostCenter } from '../../../domain/cost-center.js';
import type { CostCenter } from '../../../domain/personio-record.js';

const cc = (name: string, percentage: number | null, id: number | null = null): CostCenter => ({
  id,
  name,
  percentage,
});

describe('primaryCostCenter', () => {
  it('is null without cost centers', () => {
    assert.equal(primaryCostCenter([]), null);
  });

  it('picks the largest percentage', () => {
    assert.equal(primaryCostCenter([cc('Alpha', 40), cc('Beta', 60)])?.name, 'Beta');
  });

  it('breaks a tie by the name that sorts first ignoring case, whatever the order', () => {
    const tied = [cc('marketing', 50), cc('Engineering', 50)];
    assert.equal(primaryCostCenter(tied)?.name, 'Engineering');
    assert.equal(primaryCostCenter([...tied].reverse())?.name, 'Engineering');
  });

  it('compares ignoring case, not by upper-case-first code order', () => {
    // Plain code-unit order would put "Zeta" before "alpha".
    assert.equal(primaryCostCenter([cc('Zeta', 50), cc('alpha', 50)])?.name, 'alpha');
  });

  it('breaks a tie between names equal ignoring case by exact spelling, then id', () => {
    assert.equal(primaryCostCenter([cc('sales', 50), cc('Sales', 50)])?.name, 'Sales');
    assert.equal(primaryCostCenter([cc('Sales', 50, 9), cc('Sales', 50, 3)])?.id, 3);
  });

  it('ranks a missing percentage below any number', () => {
    assert.equal(primaryCostCenter([cc('Alpha', null), cc('Beta', 0)])?.name, 'Beta');
    assert.equal(primaryCostCenter([cc('Beta', null), cc('Alpha', null)])?.name, 'Alpha');
  });
});
