#!/usr/bin/env node
// The installed command: runs the TypeScript CLI through tsx, which the catalogue's TypeScript tenants need too.
require('tsx/cjs');
require('./main.ts').run(process.argv);
