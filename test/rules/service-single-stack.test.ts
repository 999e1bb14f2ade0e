import rule from '../../src/rules/service-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'PreferDualStack', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: a}\n' },
  ],
  invalid: [
    { name: 'policy unset', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  selector: {app: a}\n', findings: [{ messageId: 'defaulted', line: 4, severity: 'medium' }] },
  ],
});
