/** `npm run build:electron`: bundles the main process, the engine process and the preload (see electron-bundles.ts). */
import { build } from 'esbuild';
import { engineBundle, mainBundle, preloadBundle } from './electron-bundles.js';

await Promise.all([build(mainBundle()), build(engineBundle()), build(preloadBundle())]);
