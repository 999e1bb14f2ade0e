// The yaml package, loaded on first use: it is a CommonJS package of ~80 modules, a large part of
// a one-file audit's start-up when imported eagerly, and most runs never need it (the fast reader
// and js-yaml read the manifests; yaml's Document API is for positions it cannot give, config
// files and embedded texts the fast reader declines). Node's module cache keeps the one instance.

import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

export const yamlLibrary = (): typeof import('yaml') => requireHere('yaml') as typeof import('yaml');
