/**
 * The Electron main process entry: hands Electron's modules and this process's environment to
 * runApp (app-main.ts). Keep logic out of here.
 */
import * as electron from 'electron';
import { homedir } from 'node:os';
import { runApp } from './app-main.js';

runApp(electron, {
  platform: process.platform,
  argv: process.argv,
  env: process.env,
  execPath: process.execPath,
  resourcesPath: (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath,
  homeDir: homedir(),
});
