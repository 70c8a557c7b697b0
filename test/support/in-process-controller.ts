// The tests' handle on an in-process controller; the bench worlds use the same one.
export { startInProcessController, type InProcessController } from '../../bench/in-process-controller.js';
