/**
 * Loaded with --require into the Node child that fake-electron's utilityProcess.fork starts: it
 * installs `process.parentPort` as Electron does in a utility process, over Node's IPC channel,
 * with the MessagePorts handed over by the parent carried on the same channel.
 */
'use strict';
const { EventEmitter } = require('node:events');

class ChildPort extends EventEmitter {
  constructor(id) {
    super();
    this.id = id;
    this.started = false;
    this.queue = [];
  }
  postMessage(data) {
    if (process.connected) process.send({ kind: 'port', port: this.id, data });
  }
  deliver(data) {
    if (this.started) this.emit('message', { data, ports: [] });
    else this.queue.push(data);
  }
  start() {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }
  close() {
    this.emit('close');
  }
}

const ports = new Map();
const parentPort = new EventEmitter();
parentPort.postMessage = (data) => {
  if (process.connected) process.send({ kind: 'parent', data });
};
process.on('message', (message) => {
  if (message.kind === 'parent') {
    const handed = (message.ports || []).map((id) => {
      const port = new ChildPort(id);
      ports.set(id, port);
      return port;
    });
    parentPort.emit('message', { data: message.data, ports: handed });
  } else if (message.kind === 'port') {
    const port = ports.get(message.port);
    if (port) port.deliver(message.data);
  }
});
// A utility process ends with its parent.
process.on('disconnect', () => process.exit(0));
process.parentPort = parentPort;
