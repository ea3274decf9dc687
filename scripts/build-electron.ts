/** `npm run build:electron`: bundles the main process and the preload (see electron-bundles.ts). */
import { build } from 'esbuild';
import { mainBundle, preloadBundle } from './electron-bundles.js';

await build(mainBundle());
await build(preloadBundle());
