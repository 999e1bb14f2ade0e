// Writes deploy/rbac.yaml and docs/live-kinds.md from the kind registry (src/model/kinds.ts via src/rbac.ts).
import { writeFileSync } from 'node:fs';
import { kindsDoc, rbacYaml } from '../src/rbac.ts';
import { RULES } from '../src/rules/index.ts';

writeFileSync(new URL('../deploy/rbac.yaml', import.meta.url), rbacYaml());
writeFileSync(new URL('../docs/live-kinds.md', import.meta.url), kindsDoc(RULES.map((r) => r.meta)));
