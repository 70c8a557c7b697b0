// Preload (`node --import`) that appends the URL of every ES module the process loads to the
// file named by IMAGEURL_MODULE_LOG, one a line. Node 20.19 has no synchronous in-thread hooks
// (module.registerHooks), so the hooks run in Node's loader thread and write from there.
import { register } from 'node:module';

const file = process.env['IMAGEURL_MODULE_LOG'];
if (file) register('./record-modules-hooks.js', import.meta.url, { data: { file } });
