// Writes deploy/rbac.yaml from the kind registry (src/model/kinds.ts via src/rbac.ts).
import { writeFileSync } from 'node:fs';
import { rbacYaml } from '../src/rbac.ts';

writeFileSync(new URL('../deploy/rbac.yaml', import.meta.url), rbacYaml());
