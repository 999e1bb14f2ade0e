// --cloud-armor FILE: Cloud Armor security policies exported with
// `gcloud compute security-policies describe NAME --format yaml` (or --format json, or several
// policies as a YAML stream from `list --format yaml`). Each policy becomes a synthetic object
// (model/gke.ts CLOUD_ARMOR_EXPORT_KIND) whose other fields are the export's own, so JSON paths
// such as ['rules', 2, 'match', 'config', 'srcIpRanges'] point into the file. The only I/O is
// reading the file.

import path from 'node:path';
import { readOptionFile, type Locator } from './files.ts';
import { locateInChunk, parseStream, type ChunkSpan } from '../yaml/stream.ts';
import { CLOUD_ARMOR_EXPORT_API_VERSION, CLOUD_ARMOR_EXPORT_KIND } from '../model/gke.ts';
import type { InputDocument, LoadProblem } from '../model/types.ts';
import { isObject } from '../model/resources.ts';

export interface CloudArmorLoad {
  readonly documents: InputDocument[];
  readonly problems: LoadProblem[];
  readonly locator: Locator;
}


/** An export is a security policy: `kind: compute#securityPolicy`, or a name with a rules list. */
export const isPolicyExport = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && (v.kind === 'compute#securityPolicy' || (typeof v.name === 'string' && Array.isArray(v.rules) && v.apiVersion === undefined));

/** Read Cloud Armor exports; a file that cannot be read or holds no policy is a fatal problem (the user asked for it). */
export function loadCloudArmor(files: readonly string[], display: (f: string) => string = (f) => f): CloudArmorLoad {
  const documents: InputDocument[] = [];
  const problems: LoadProblem[] = [];
  const entries = new Map<string, { text: string; spans: readonly ChunkSpan[] }>();
  for (const f of files) {
    const shown = display(f);
    // The manifest reader's checks: a regular file, at most OPTION_FILE_MAX_BYTES, text.
    const read = readOptionFile(f);
    if ('error' in read) {
      problems.push({ file: shown, message: `--cloud-armor: ${read.error.startsWith('cannot read') ? read.error : `cannot read: ${read.error}`}`, fatal: true });
      continue;
    }
    const text = read.text;
    const parsed = parseStream(text, shown);
    problems.push(...parsed.problems);
    entries.set(shown, { text, spans: parsed.spans });
    let found = 0;
    for (const d of parsed.documents) {
      const policies = Array.isArray(d.value) ? d.value.map((v, i) => ({ v, i })) : [{ v: d.value, i: undefined }];
      for (const { v, i } of policies) {
        if (!isPolicyExport(v)) continue;
        found++;
        const name = typeof v.name === 'string' ? v.name : path.basename(f);
        documents.push({
          source: { file: shown, doc: d.index, ...(i !== undefined ? { item: i } : {}) },
          object: { ...v, apiVersion: CLOUD_ARMOR_EXPORT_API_VERSION, kind: CLOUD_ARMOR_EXPORT_KIND, metadata: { name } },
        });
      }
    }
    if (found === 0 && parsed.problems.every((p) => !p.fatal)) {
      problems.push({ file: shown, line: 1, message: '--cloud-armor: no Cloud Armor security policy in the file (expected the YAML or JSON of gcloud compute security-policies describe)', fatal: true });
    }
  }
  const locator: Locator = {
    locate(source, p, textLine) {
      const entry = entries.get(source.file);
      const span = entry?.spans[source.doc];
      if (!entry || !span) return undefined;
      // A JSON list of policies (gcloud list --format json): the item index comes first.
      const full = source.item === undefined ? p : [source.item, ...p];
      const pos = locateInChunk({ ...span, text: entry.text.slice(span.start, span.end) }, full, textLine);
      return { file: source.file, line: pos.line, column: pos.column };
    },
  };
  return { documents, problems, locator };
}

/** A locator that asks the Cloud Armor files first, then the manifests. */
export const withCloudArmor = (armor: CloudArmorLoad, other: Locator): Locator => ({
  locate: (source, p, textLine) => armor.locator.locate(source, p, textLine) ?? other.locate(source, p, textLine),
});
