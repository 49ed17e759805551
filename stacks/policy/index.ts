/**
 * The policy pack: `pulumi preview --policy-pack stacks/policy` (and the CI workflows) run every rule of
 * policies.ts against the planned resources.
 */
import { PolicyPack } from '@pulumi/policy';
import { ALL_POLICIES } from './policies';

new PolicyPack('central-secret-store', { policies: ALL_POLICIES });
