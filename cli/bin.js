#!/usr/bin/env node
// The installed command: runs the TypeScript CLI through tsx, which the catalogue's TypeScript tenants need too.
// tsx reads the tsconfig of the working folder unless told otherwise; the product's own (its `paths` name the
// constructs' vocabulary by package name, from source) must apply wherever the command runs, child processes
// included.
process.env.TSX_TSCONFIG_PATH = require('node:path').join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs');
require('./main.ts').run(process.argv);
