import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EmployeeStatus } from '../../../domain/personio-record.js';
import {
  decideStatusAction,
  REACTIVATION_NOT_ALLOWED,
  type JumpCloudUserState,
  type StatusRuleOptions,
} from '../../../domain/status-rules.js';

const staged: StatusRuleOptions = { createState: 'STAGED', allowReactivation: false };
const decide = (status: EmployeeStatus, existingState: JumpCloudUserState | null, options = staged) =>
  decideStatusAction({ status, existingState }, options);

describe('decideStatusAction', () => {
  for (const status of ['active', 'onboarding'] as const) {
    describe(`Personio ${status}`, () => {
      it('creates a missing user in the configured state', () => {
        assert.deepEqual(decide(status, null), { kind: 'create', state: 'STAGED' });
        assert.deepEqual(decide(status, null, { ...staged, createState: 'ACTIVATED' }), {
          kind: 'create',
          state: 'ACTIVATED',
        });
      });

      it('updates a STAGED user and leaves it STAGED', () => {
        assert.deepEqual(decide(status, 'STAGED'), { kind: 'update-or-unchanged' });
      });

      it('updates an ACTIVATED user', () => {
        assert.deepEqual(decide(status, 'ACTIVATED'), { kind: 'update-or-unchanged' });
      });

      it('keeps a SUSPENDED user suspended when reactivation is not allowed, and says why', () => {
        assert.deepEqual(decide(status, 'SUSPENDED'), {
          kind: 'keep-suspended',
          reason: REACTIVATION_NOT_ALLOWED,
        });
        assert.equal(
          REACTIVATION_NOT_ALLOWED,
          'suspended in JumpCloud; reactivation not allowed (needs an admin)',
        );
      });

      it('reactivates a SUSPENDED user when reactivation is allowed', () => {
        assert.deepEqual(decide(status, 'SUSPENDED', { ...staged, allowReactivation: true }), {
          kind: 'reactivate',
        });
      });
    });
  }

  for (const status of ['leave', 'inactive'] as const) {
    describe(`Personio ${status}`, () => {
      it('never creates a user', () => {
        assert.deepEqual(decide(status, null), { kind: 'skip', reason: `status ${status}: not imported` });
        assert.deepEqual(
          decide(status, null, { createState: 'ACTIVATED', allowReactivation: true }).kind,
          'skip',
        );
      });

      it('suspends a STAGED or ACTIVATED user', () => {
        assert.deepEqual(decide(status, 'STAGED'), { kind: 'suspend' });
        assert.deepEqual(decide(status, 'ACTIVATED'), { kind: 'suspend' });
      });

      it('leaves a SUSPENDED user as it is', () => {
        assert.deepEqual(decide(status, 'SUSPENDED'), { kind: 'update-or-unchanged' });
      });
    });
  }

  describe('e-mail problems', () => {
    it('skips a user that would be created without a usable address, naming the fix', () => {
      assert.deepEqual(
        decideStatusAction({ status: 'active', existingState: null, emailProblem: 'missing' }, staged),
        {
          kind: 'skip',
          reason: 'email missing in Personio: add it there so the user can be created',
        },
      );
      assert.match(
        (
          decideStatusAction(
            { status: 'onboarding', existingState: null, emailProblem: 'invalid' },
            staged,
          ) as { reason: string }
        ).reason,
        /^email invalid in Personio/,
      );
    });

    it('still updates an existing user whose address went missing', () => {
      assert.deepEqual(
        decideStatusAction({ status: 'active', existingState: 'ACTIVATED', emailProblem: 'missing' }, staged),
        { kind: 'update-or-unchanged' },
      );
    });

    it('still suspends an existing user on leave without an address', () => {
      assert.deepEqual(
        decideStatusAction({ status: 'leave', existingState: 'ACTIVATED', emailProblem: 'missing' }, staged),
        {
          kind: 'suspend',
        },
      );
    });
  });
});
