#!/usr/bin/env node
// The installed command: runs the TypeScript CLI through tsx, which the catalogue's TypeScript tenants need too.
require('tsx/cjs');
const { program } = require('./main.ts');

program()
  .parseAsync(process.argv)
  .catch((error) => {
    console.error(`central-secret-store: ${error.message}`);
    process.exitCode = 1;
  });
