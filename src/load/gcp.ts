// --gcp FILE: the GCP network layer in two file forms besides Config Connector objects:
//   - `gcloud container clusters describe`, `gcloud compute networks describe`,
//     `gcloud compute networks subnets describe`, `gcloud compute addresses describe`
//     (--format yaml or json; a YAML stream or a JSON list of several works too). Compute output
//     carries `kind: compute#network|subnetwork|address`; a GKE cluster has no `kind` and is
//     recognised by its container.googleapis.com selfLink, or by nodePools plus
//     ipAllocationPolicy / currentMasterVersion (GKE REST Cluster resource).
//   - `terraform show -json` of a plan or a state: google_container_cluster,
//     google_container_node_pool, google_compute_network, google_compute_subnetwork,
//     google_compute_address and google_compute_global_address under values.root_module (state)
//     or planned_values.root_module (plan), child_modules included; attributes a plan marks in
//     resource_changes[].change.after_unknown are recorded as unknown
//     (https://developer.hashicorp.com/terraform/internals/json-format).
// Each resource becomes a synthetic object (model/gcp.ts) whose fields are the file's own, and
// the locator prefixes the resource's place in the file, so findings point at its lines. The
// only I/O is reading the files.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readOptionFile, type Locator } from './files.ts';
import { locateInChunk, parseStream, type ChunkSpan } from '../yaml/stream.ts';
import {
  GCLOUD_API_VERSION, GCLOUD_COMPUTE_KINDS, GCP_SOURCE_KEY, TERRAFORM_API_VERSION, TERRAFORM_TYPES,
  type GcpKind, type GcpSourceInfo,
} from '../model/gcp.ts';
import type { InputDocument, JsonPath, LoadProblem } from '../model/types.ts';
import { isObject } from '../model/resources.ts';

export interface GcpLoad {
  readonly documents: InputDocument[];
  readonly problems: LoadProblem[];
  readonly locator: Locator;
}

interface Found {
  readonly kind: GcpKind;
  readonly apiVersion: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
  /** Where `values` is inside the parsed document. */
  readonly prefix: JsonPath;
  readonly info: GcpSourceInfo;
}

/** A GKE cluster as gcloud container clusters describe prints it (no `kind` in the Cluster resource). */
export function isGcloudCluster(v: Record<string, unknown>): boolean {
  if (v.kind !== undefined || v.apiVersion !== undefined) return false;
  if (typeof v.selfLink === 'string' && /container\.googleapis\.com\/.*\/clusters\//.test(v.selfLink)) return true;
  return typeof v.name === 'string' && Array.isArray(v.nodePools) && (isObject(v.ipAllocationPolicy) || typeof v.currentMasterVersion === 'string');
}

function gcloudResource(v: unknown, prefix: JsonPath): Found | undefined {
  if (!isObject(v) || typeof v.name !== 'string') return undefined;
  const compute = typeof v.kind === 'string' ? GCLOUD_COMPUTE_KINDS[v.kind] : undefined;
  const kind: GcpKind | undefined = compute ?? (isGcloudCluster(v) ? 'ContainerCluster' : undefined);
  if (!kind) return undefined;
  return { kind, apiVersion: GCLOUD_API_VERSION, name: v.name, values: v, prefix, info: typeof v.kind === 'string' ? { type: v.kind } : {} };
}

/** Top-level attributes with an unknown leaf in after_unknown. */
function unknownKeys(afterUnknown: unknown): string[] {
  const has = (x: unknown): boolean => x === true || (Array.isArray(x) ? x.some(has) : isObject(x) ? Object.values(x).some(has) : false);
  return isObject(afterUnknown) ? Object.keys(afterUnknown).filter((k) => has(afterUnknown[k])) : [];
}

function terraformResources(doc: Record<string, unknown>): Found[] {
  const out: Found[] = [];
  const unknown = new Map<string, string[]>();
  if (Array.isArray(doc.resource_changes)) {
    for (const rc of doc.resource_changes) {
      if (isObject(rc) && typeof rc.address === 'string' && isObject(rc.change)) unknown.set(rc.address, unknownKeys(rc.change.after_unknown));
    }
  }
  const walk = (mod: unknown, prefix: JsonPath): void => {
    if (!isObject(mod)) return;
    if (Array.isArray(mod.resources)) {
      mod.resources.forEach((r, i) => {
        if (!isObject(r) || typeof r.type !== 'string' || !isObject(r.values)) return;
        const kind = TERRAFORM_TYPES[r.type];
        if (!kind) return;
        const address = typeof r.address === 'string' ? r.address : `${r.type}.${String(r.name)}`;
        const u = unknown.get(address) ?? [];
        out.push({
          kind, apiVersion: TERRAFORM_API_VERSION, name: address, values: r.values, prefix: [...prefix, 'resources', i, 'values'],
          info: { type: r.type, ...(u.length > 0 ? { unknown: u } : {}) },
        });
      });
    }
    if (Array.isArray(mod.child_modules)) mod.child_modules.forEach((c, j) => walk(c, [...prefix, 'child_modules', j]));
  };
  // A state has values; a plan has planned_values (and prior_state, which the plan supersedes).
  if (isObject(doc.values)) walk(doc.values.root_module, ['values', 'root_module']);
  else if (isObject(doc.planned_values)) walk(doc.planned_values.root_module, ['planned_values', 'root_module']);
  return out;
}

export const isTerraformJson = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && typeof v.format_version === 'string' && (isObject(v.values) || isObject(v.planned_values));

/** A directory given to --gcp stands for its *.yaml, *.yml and *.json files (not recursive), sorted. */
function expandDirectories(files: readonly string[]): string[] {
  return files.flatMap((f) => {
    let dir = false;
    try {
      dir = statSync(f).isDirectory();
    } catch {
      return [f]; // reported by the read below
    }
    if (!dir) return [f];
    return readdirSync(f).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort().map((n) => path.join(f, n));
  });
}

/** Read --gcp files (or directories of them); a file that cannot be read or holds no GCP resource is a fatal problem (the user asked for it). */
export function loadGcp(files: readonly string[], display: (f: string) => string = (f) => f): GcpLoad {
  const documents: InputDocument[] = [];
  const problems: LoadProblem[] = [];
  const entries = new Map<string, { text: string; spans: readonly ChunkSpan[]; prefixes: JsonPath[] }>();
  for (const f of expandDirectories(files)) {
    const shown = display(f);
    // The manifest reader's checks: a regular file, at most OPTION_FILE_MAX_BYTES, text.
    const read = readOptionFile(f);
    if ('error' in read) {
      problems.push({ file: shown, message: `--gcp: ${read.error.startsWith('cannot read') ? read.error : `cannot read: ${read.error}`}`, fatal: true });
      continue;
    }
    const text = read.text;
    const parsed = parseStream(text, shown);
    problems.push(...parsed.problems);
    const prefixes: JsonPath[] = [];
    entries.set(shown, { text, spans: parsed.spans, prefixes });
    let terraformEmpty = false;
    for (const d of parsed.documents) {
      let found: Found[];
      if (isTerraformJson(d.value)) {
        found = terraformResources(d.value);
        if (found.length === 0) terraformEmpty = true;
      } else if (Array.isArray(d.value)) {
        found = d.value.flatMap((v, i) => gcloudResource(v, [i]) ?? []);
      } else {
        found = [gcloudResource(d.value, [])].flatMap((x) => x ?? []);
      }
      for (const x of found) {
        prefixes.push(x.prefix);
        documents.push({
          source: { file: shown, doc: d.index, item: prefixes.length - 1 },
          object: { ...x.values, apiVersion: x.apiVersion, kind: x.kind, metadata: { name: x.name }, [GCP_SOURCE_KEY]: x.info },
        });
      }
    }
    if (prefixes.length === 0 && parsed.problems.every((p) => !p.fatal)) {
      problems.push({
        file: shown, line: 1, fatal: true,
        message: terraformEmpty
          ? '--gcp: the Terraform JSON has no google_container_cluster, google_container_node_pool, google_compute_network, google_compute_subnetwork, google_compute_address or google_compute_global_address'
          : '--gcp: no GCP resource in the file (expected the YAML or JSON of gcloud container clusters describe, gcloud compute networks [subnets] describe, gcloud compute addresses describe, or terraform show -json)',
      });
    }
  }
  const locator: Locator = {
    locate(source, p, textLine) {
      const entry = entries.get(source.file);
      const span = entry?.spans[source.doc];
      const prefix = source.item === undefined ? undefined : entry?.prefixes[source.item];
      if (!entry || !span || !prefix) return undefined;
      const pos = locateInChunk({ ...span, text: entry.text.slice(span.start, span.end) }, [...prefix, ...p], textLine);
      return { file: source.file, line: pos.line, column: pos.column };
    },
  };
  return { documents, problems, locator };
}

/** A locator that asks the --gcp files first, then the others. */
export const withGcp = (gcp: GcpLoad, other: Locator): Locator => ({
  locate: (source, p, textLine) => gcp.locator.locate(source, p, textLine) ?? other.locate(source, p, textLine),
});
